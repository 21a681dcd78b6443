using System.Text.Json;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;

namespace Reconciler.Controller.Tests.Aws;

public class ResponseParsingTests
{
    [Fact]
    public async Task Timestamps_in_both_forms_nulls_unknown_members_and_any_content_type_are_read()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => new StubResponse(200, """
            { "projects": [
                { "name": "a", "arn": "arn:aws:codebuild:us-east-1:111122223333:project/a",
                  "created": 1700000000.5, "lastModified": "2023-11-14T22:13:20Z",
                  "source": { "type": "GITHUB", "futureSourceMember": { "x": [1, 2] } },
                  "environment": { "type": "LINUX_CONTAINER", "image": "img", "computeType": "BUILD_GENERAL1_SMALL", "environmentVariables": null },
                  "tags": null, "someNewTopLevelMember": true },
                { "name": "b", "created": "1700000001", "lastModified": 1700000002 } ],
              "projectsNotFound": null,
              "anotherUnknown": "x" }
            """, ContentType: "text/plain"));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var result = await clients.CodeBuild.BatchGetProjectsAsync(["a", "b"], CancellationToken.None);

        Assert.Empty(result.ProjectsNotFound);
        var a = result.Projects[0];
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_500), a.Created);
        Assert.Equal(new DateTimeOffset(2023, 11, 14, 22, 13, 20, TimeSpan.Zero), a.LastModified);
        Assert.Equal("GITHUB", a.Source.Type);
        Assert.Null(a.Environment.EnvironmentVariables);
        Assert.Null(a.Tags);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_001), result.Projects[1].Created);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_002), result.Projects[1].LastModified);
    }

    [Fact]
    public async Task An_empty_body_without_content_type_is_an_empty_answer()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => new StubResponse(200, "", ContentType: null));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        await clients.CodeBuild.DeleteProjectAsync("a", CancellationToken.None);
        var page = await clients.CodeBuild.ListProjectsAsync(null, CancellationToken.None);

        Assert.Empty(page.Items);
        Assert.Null(page.NextToken);
    }

    [Fact]
    public async Task Null_lists_in_a_pipeline_become_empty()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("""
            { "pipeline": { "name": "p", "roleArn": "r", "stages": [ { "name": "Source", "actions": null } ], "version": 3 },
              "metadata": { "pipelineArn": "arn:aws:codepipeline:us-east-1:111122223333:p", "created": 1700000000, "updated": "2023-11-14T22:13:21.250Z" } }
            """));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var result = await clients.CodePipeline.GetPipelineAsync("p", CancellationToken.None);

        Assert.Empty(Assert.Single(result.Pipeline.Stages).Actions);
        Assert.Equal(3, result.Pipeline.Version);
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_001_250), result.Metadata?.Updated);
    }

    [Fact]
    public async Task A_response_that_is_not_json_is_a_service_error_that_does_not_echo_the_body()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Ok("<html>secret-page</html>"));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url) with { Retry = new AwsRetrySettings { MaxRetryAttempts = 0 } });

        var error = await Assert.ThrowsAsync<AwsServiceErrorException>(() => clients.CodeBuild.ListProjectsAsync(null, CancellationToken.None));

        Assert.Equal("MalformedResponse", error.ErrorCode);
        Assert.Equal("req-ok", error.RequestId);
        Assert.DoesNotContain("secret-page", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Error_responses_carry_code_message_and_request_id_but_never_the_request()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => new StubResponse(400,
            """{"__type":"com.amazonaws.codebuild#InvalidInputException","Message":"Invalid project source"}""",
            Headers: new Dictionary<string, string> { ["x-amzn-RequestId"] = "4f0c7bd1-req" }));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));
        var project = new CodeBuildProject { Name = "p", Source = new ProjectSource { Type = "GITHUB", Buildspec = "marker-in-the-request-body" } };

        var error = await Assert.ThrowsAsync<AwsValidationException>(() => clients.CodeBuild.CreateProjectAsync(project, CancellationToken.None));

        Assert.Equal("InvalidInputException", error.ErrorCode);
        Assert.Equal("4f0c7bd1-req", error.RequestId);
        Assert.Equal("CreateProject", error.Operation);
        Assert.Contains("Invalid project source", error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("marker-in-the-request-body", error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("1700000000", 1_700_000_000_000)]
    [InlineData("1700000000.123", 1_700_000_000_123)]
    [InlineData("\"1700000000.5\"", 1_700_000_000_500)]
    [InlineData("\"2023-11-14T22:13:20.123Z\"", 1_700_000_000_123)]
    [InlineData("\"2023-11-15T00:13:20+02:00\"", 1_700_000_000_000)]
    public void The_timestamp_converter_reads_epoch_seconds_and_iso_8601(string json, long expectedMs)
    {
        var options = new JsonSerializerOptions { Converters = { new AwsTimestampJsonConverter() } };
        Assert.Equal(DateTimeOffset.FromUnixTimeMilliseconds(expectedMs), JsonSerializer.Deserialize<DateTimeOffset>(json, options));
    }

    [Fact]
    public void The_timestamp_converter_writes_epoch_seconds_and_rejects_garbage()
    {
        var options = new JsonSerializerOptions { Converters = { new AwsTimestampJsonConverter() } };
        Assert.Equal("1700000000.25", JsonSerializer.Serialize(DateTimeOffset.FromUnixTimeMilliseconds(1_700_000_000_250), options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>("\"yesterday\"", options));
        Assert.Throws<JsonException>(() => JsonSerializer.Deserialize<DateTimeOffset>("true", options));
    }
}
