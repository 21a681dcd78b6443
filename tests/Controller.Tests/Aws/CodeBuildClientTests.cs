using System.Text.Json.Nodes;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

public class CodeBuildClientTests
{
    [Fact]
    public async Task BatchGetProjects_rejects_more_than_100_names_without_calling()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("{}"));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));
        var names = Enumerable.Range(0, 101).Select(i => $"p{i}").ToList();

        var error = await Assert.ThrowsAsync<ArgumentException>(() => clients.CodeBuild.BatchGetProjectsAsync(names, CancellationToken.None));

        Assert.Equal("names", error.ParamName);
        Assert.Empty(stub.Requests);
        var none = await clients.CodeBuild.BatchGetProjectsAsync([], CancellationToken.None);
        Assert.Empty(none.Projects);
        Assert.Empty(stub.Requests);
    }

    [Fact]
    public async Task BatchGetProjects_returns_found_and_not_found()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("""{"projects":[{"name":"a"}],"projectsNotFound":["b"]}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var result = await clients.CodeBuild.BatchGetProjectsAsync(["a", "b"], CancellationToken.None);

        Assert.Equal("a", Assert.Single(result.Projects).Name);
        Assert.Equal("b", Assert.Single(result.ProjectsNotFound));
        Assert.Equal("""{"names":["a","b"]}""", stub.Requests.Single().BodyText);
        Assert.Equal("CodeBuild_20161006.BatchGetProjects", stub.Requests.Single().Target);
    }

    [Fact]
    public async Task ListProjects_passes_and_returns_the_next_token()
    {
        await using var stub = await AwsStubServer.StartAsync(r =>
            JsonNode.Parse(r.Body)!["nextToken"] is null
                ? StubResponse.Ok("""{"projects":["a","b"],"nextToken":"t2"}""")
                : StubResponse.Ok("""{"projects":["c"]}"""));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var first = await clients.CodeBuild.ListProjectsAsync(null, CancellationToken.None);
        var second = await clients.CodeBuild.ListProjectsAsync(first.NextToken, CancellationToken.None);

        Assert.Equal(["a", "b"], first.Items);
        Assert.Equal("t2", first.NextToken);
        Assert.Equal(["c"], second.Items);
        Assert.Null(second.NextToken);
        Assert.Equal("{}", stub.Requests.First().BodyText);
    }

    [Fact]
    public async Task BatchGetBuilds_reads_build_status_and_times()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("""
            {"builds":[{"id":"p:1","arn":"arn:b","projectName":"p","buildStatus":"SUCCEEDED","currentPhase":"COMPLETED",
                        "sourceVersion":"refs/heads/main","resolvedSourceVersion":"abc123","startTime":1700000000.25,"endTime":1700000100,
                        "phases":[{"phaseType":"BUILD"}]}],
             "buildsNotFound":["p:2"]}
            """));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var result = await clients.CodeBuild.BatchGetBuildsAsync(["p:1", "p:2"], CancellationToken.None);

        var build = Assert.Single(result.Builds);
        Assert.Equal("SUCCEEDED", build.BuildStatus);
        Assert.Equal("abc123", build.ResolvedSourceVersion);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), build.StartTime);
        Assert.Equal(["p:2"], result.BuildsNotFound);
    }
}
