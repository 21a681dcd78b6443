using Reconciler.LocalCloud;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class PersistenceTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("localcloud-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private LocalCloudOptions Options(string file) => new() { StateFile = file, Signatures = SignatureVerification.RequireSigned };

    [Fact]
    public async Task Projects_pipelines_builds_and_parameters_survive_a_restart_through_the_state_file()
    {
        var file = Path.Combine(_directory, "state.json");
        using var http = new HttpClient();
        double created;
        string buildId;
        await using (var first = await LocalCloudServer.StartAsync(Options(file)))
        {
            var client = new AwsJsonTestClient(http, first.Endpoint, TimeProvider.System, "AKIAANYKEY0000000000", "x", "us-east-1");
            created = (double)(await client.CodeBuild("CreateProject", CodeBuildOperationTests.ProjectBody("kept"))).EnsureOk().Body["project"]!["created"]!;
            (await client.CodePipeline("CreatePipeline", $$"""{ "pipeline": {{CodePipelineOperationTests.Declaration("kept").ToJsonString()}} }""")).EnsureOk();
            (await client.CodePipeline("UpdatePipeline", $$"""{ "pipeline": {{CodePipelineOperationTests.Declaration("kept").ToJsonString()}} }""")).EnsureOk();
            (await client.Ssm("PutParameter", """{ "Name": "/kept/token", "Value": "never-written", "Type": "SecureString" }""")).EnsureOk();
            buildId = (string)first.State.AddBuild(new System.Text.Json.Nodes.JsonObject { ["projectName"] = "kept" })["id"]!;
        }

        Assert.DoesNotContain("never-written", await File.ReadAllTextAsync(file), StringComparison.Ordinal);
        await using var second = await LocalCloudServer.StartAsync(Options(file));
        var again = new AwsJsonTestClient(http, second.Endpoint, TimeProvider.System, "AKIAANYKEY0000000000", "x", "us-east-1");
        var project = (await again.CodeBuild("BatchGetProjects", """{ "names": ["kept"] }""")).EnsureOk().Body["projects"]![0]!;
        var pipeline = (await again.CodePipeline("GetPipeline", """{ "name": "kept" }""")).EnsureOk().Body["pipeline"]!;
        var builds = (await again.CodeBuild("ListBuildsForProject", """{ "projectName": "kept" }""")).EnsureOk().Body["ids"]!;
        var parameters = (await again.Ssm("DescribeParameters", """{ "ParameterFilters": [ { "Key": "Name", "Values": ["/kept/token"] } ] }""")).EnsureOk().Body["Parameters"]!;

        Assert.Equal(created, (double)project["created"]!);
        Assert.Equal(2, (int)pipeline["version"]!);
        Assert.Equal(buildId, (string?)builds[0]);
        Assert.Single(parameters.AsArray());
    }

    [Fact]
    public async Task A_state_file_that_is_not_a_snapshot_stops_the_start_with_the_file_and_json_path()
    {
        var file = Path.Combine(_directory, "broken.json");
        await File.WriteAllTextAsync(file, """{ "formatVersion": 1, "projects": "not a list" }""");

        var error = await Assert.ThrowsAsync<InvalidDataException>(() => LocalCloudServer.StartAsync(Options(file)));

        Assert.Contains(file, error.Message, StringComparison.Ordinal);
        Assert.Contains("$.projects", error.Message, StringComparison.Ordinal);
    }
}
