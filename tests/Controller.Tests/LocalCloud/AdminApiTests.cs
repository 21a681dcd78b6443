using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.LocalCloud.Faults;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class AdminApiTests : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly LocalCloudFixture _fixture;
    private readonly HttpClient _http = new();

    public AdminApiTests(LocalCloudFixture fixture)
    {
        _fixture = fixture;
        fixture.Server.SetFaults(FaultSettings.None);
    }

    public void Dispose()
    {
        _fixture.Server.SetFaults(FaultSettings.None);
        _http.Dispose();
    }

    private Uri Admin(string path) => new(_fixture.Server.Endpoint, "_localcloud/" + path);

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Get(string path)
    {
        using var response = await _http.GetAsync(Admin(path));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    private async Task<(HttpStatusCode Status, JsonNode? Body)> Post(string path, string body)
    {
        using var response = await _http.PostAsync(Admin(path), new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        return (response.StatusCode, text.Length == 0 ? null : JsonNode.Parse(text));
    }

    [Fact]
    public async Task Requests_reports_counts_per_operation_and_reset_counters_clears_them()
    {
        (await Post("reset-counters", "")).Status.Equals(HttpStatusCode.NoContent);
        (await _fixture.Client.CodeBuild("ListProjects", "{}")).EnsureOk();
        await _fixture.Client.CodeBuild("UpdateProject", """{ "name": "never-created" }""");

        var (status, report) = await Get("requests");
        var reset = await Post("reset-counters", "");
        var (_, after) = await Get("requests");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, (long)report!["totalRequests"]!);
        Assert.Equal("""{"requests":1,"succeeded":1,"failed":0,"throttled":0,"serverErrors":0}""", report["operations"]!["CodeBuild.ListProjects"]!.ToJsonString());
        Assert.Equal(1, (long)report["operations"]!["CodeBuild.UpdateProject"]!["failed"]!);
        Assert.Equal(HttpStatusCode.NoContent, reset.Status);
        Assert.Equal(0, (long)after!["totalRequests"]!);
    }

    [Fact]
    public async Task Faults_posted_to_the_admin_api_apply_to_the_next_requests()
    {
        var (status, settings) = await Post("faults", """{ "seed": 1, "rules": [ { "operation": "CodeBuild.ListProjects", "throttleRatio": 1 } ] }""");
        var throttled = await _fixture.Client.CodeBuild("ListProjects", "{}");
        var (_, current) = await Get("faults");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(1.0, (double)settings!["rules"]![0]!["throttleRatio"]!);
        Assert.Equal("com.amazon.coral.availability#ThrottlingException", throttled.ErrorType);
        Assert.Equal("CodeBuild.ListProjects", (string?)current!["rules"]![0]!["operation"]);
    }

    [Theory]
    [InlineData("""{ "rules": [ { "operation": "*", "throttleRatio": 2 } ] }""", "throttleRatio 2 is outside 0..1")]
    [InlineData("""{ "rules": [ { "operation": "*", "throtleRatio": 0.5 } ] }""", "throtleRatio")]
    [InlineData("""{ "rules": """, "")]
    [InlineData("""{ "rules": null }""", "rules: expected a list of rules")]
    [InlineData("""{ "rules": [ null ] }""", "rules[0]: expected a rule object")]
    [InlineData("""{ "rules": [ { "operation": null } ] }""", "operation must name")]
    [InlineData("""null""", "$: the body is null")]
    public async Task Faults_that_cannot_apply_are_refused_with_400_and_change_nothing(string body, string problem)
    {
        var (status, answer) = await Post("faults", body);

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem, (string?)answer!["message"], StringComparison.Ordinal);
        Assert.Empty(_fixture.Server.Faults.Settings.Rules);
    }

    [Fact]
    public async Task State_shows_the_resources_without_webhook_secrets_or_parameter_values()
    {
        var name = LocalCloudFixture.UniqueName("state");
        (await _fixture.Client.CodeBuild("CreateProject", CodeBuildOperationTests.ProjectBody(name))).EnsureOk();
        var secret = (string)(await _fixture.Client.CodeBuild("CreateWebhook", $$"""{ "projectName": "{{name}}", "filterGroups": [ [ { "type": "EVENT", "pattern": "PUSH" } ] ] }""")).EnsureOk().Body["webhook"]!["secret"]!;
        (await _fixture.Client.Ssm("PutParameter", $$"""{ "Name": "/{{name}}/token", "Value": "pul-secret-token-value", "Type": "SecureString" }""")).EnsureOk();

        using var response = await _http.GetAsync(Admin("state"));
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var state = JsonNode.Parse(text)!;
        Assert.Contains(state["projects"]!.AsArray(), p => (string?)p!["name"] == name);
        Assert.Contains(state["parameters"]!.AsArray(), p => (string?)p!["name"] == $"/{name}/token");
        Assert.DoesNotContain(secret, text, StringComparison.Ordinal);
        Assert.DoesNotContain("pul-secret-token-value", text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Builds_posted_to_the_admin_api_are_filled_in_and_served()
    {
        var name = LocalCloudFixture.UniqueName("seed");
        (await _fixture.Client.CodeBuild("CreateProject", CodeBuildOperationTests.ProjectBody(name))).EnsureOk();

        var (status, seeded) = await Post("builds", $$"""{ "builds": [ { "projectName": "{{name}}", "buildStatus": "FAILED", "sourceVersion": "abc123" } ] }""");
        var id = (string)seeded!["builds"]![0]!["id"]!;
        var got = (await _fixture.Client.CodeBuild("BatchGetBuilds", $$"""{ "ids": ["{{id}}"] }""")).EnsureOk();
        var (unknownStatus, unknown) = await Post("builds", """{ "builds": [ { "projectName": "never-created" } ] }""");

        Assert.Equal(HttpStatusCode.OK, status);
        Assert.StartsWith(name + ":", id, StringComparison.Ordinal);
        Assert.Equal("FAILED", (string?)got.Body["builds"]![0]!["buildStatus"]);
        Assert.Equal("abc123", (string?)got.Body["builds"]![0]!["sourceVersion"]);
        Assert.Equal(HttpStatusCode.BadRequest, unknownStatus);
        Assert.Contains("never-created", (string?)unknown!["message"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("""[ 1 ]""", "$: expected an object")]
    [InlineData("""{ "builds": [ { "projectName": 5 } ] }""", "$.builds[0].projectName: expected a string")]
    [InlineData("""{ "builds": [ { "projectName": "NAME", "buildNumber": "seven" } ] }""", "$.builds[0].buildNumber: expected a whole number")]
    [InlineData("""{ "builds": [ { "projectName": "NAME", "buildStatus": "DONE" } ] }""", "$.builds[0].buildStatus: \"DONE\" is not a CodeBuild build status")]
    [InlineData("""{ "builds": [ { "projectName": "NAME", "buildComplete": "yes" } ] }""", "$.builds[0].buildComplete: expected true or false")]
    [InlineData("""{ "builds": [ { "projectName": "NAME", "startTime": "today" } ] }""", "$.builds[0].startTime: expected epoch seconds")]
    [InlineData("""{ "builds": [ { "projectName": "NAME" }, { "projectName": "NAME", "id": 7 } ] }""", "$.builds[1].id: expected a string")]
    [InlineData("""{ "builds": [ { "projectName": "NAME", "id": "NAME:1" }, { "projectName": "NAME", "id": "NAME:1" } ] }""", "$.builds[1].id: build NAME:1 is also at $.builds[0]")]
    public async Task Builds_of_the_wrong_shape_are_400_with_a_message_and_none_is_stored(string body, string problem)
    {
        var name = LocalCloudFixture.UniqueName("bad-build");
        (await _fixture.Client.CodeBuild("CreateProject", CodeBuildOperationTests.ProjectBody(name))).EnsureOk();

        var (status, answer) = await Post("builds", body.Replace("NAME", name, StringComparison.Ordinal));
        var (laterStatus, _) = await Post("builds", $$"""{ "builds": [ { "projectName": "{{name}}" } ] }""");
        var listed = (await _fixture.Client.CodeBuild("ListBuildsForProject", $$"""{ "projectName": "{{name}}" }""")).EnsureOk();

        Assert.Equal(HttpStatusCode.BadRequest, status);
        Assert.Contains(problem.Replace("NAME", name, StringComparison.Ordinal), (string?)answer!["message"], StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.OK, laterStatus);
        Assert.Single(listed.Body["ids"]!.AsArray());
    }

    [Fact]
    public async Task An_unknown_admin_path_is_404()
    {
        var (status, _) = await Get("nothing-here");

        Assert.Equal(HttpStatusCode.NotFound, status);
    }
}
