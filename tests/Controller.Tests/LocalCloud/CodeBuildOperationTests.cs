using System.Net;
using System.Text.Json.Nodes;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class CodeBuildOperationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private AwsJsonTestClient Client => fixture.Client;

    internal static string ProjectBody(string name, string sourceType = "GITHUB", string artifactsType = "NO_ARTIFACTS") => $$"""
        { "name": "{{name}}",
          "source": { "type": "{{sourceType}}", "location": "https://github.com/acme/website.git", "buildspec": "version: 0.2" },
          "artifacts": { "type": "{{artifactsType}}" },
          "environment": { "type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:7.0", "computeType": "BUILD_GENERAL1_SMALL" },
          "serviceRole": "arn:aws:iam::123456789012:role/pulumi-codebuild",
          "tags": [ { "key": "reconciler/spec", "value": "website" } ] }
        """;

    private static string Webhook(string name) => $$"""
        { "projectName": "{{name}}",
          "filterGroups": [ [ { "type": "EVENT", "pattern": "PUSH" }, { "type": "HEAD_REF", "pattern": "^refs/heads/main$" } ] ] }
        """;

    private async Task<JsonObject> GetProject(string name)
    {
        var answer = (await Client.CodeBuild("BatchGetProjects", $$"""{ "names": ["{{name}}"] }""")).EnsureOk();
        return answer.Body["projects"]!.AsArray().Single()!.AsObject();
    }

    [Fact]
    public async Task CreateProject_answers_the_project_with_its_arn_epoch_timestamps_and_the_service_defaults()
    {
        var name = LocalCloudFixture.UniqueName("create");
        var project = (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk().Body["project"]!;

        Assert.Equal($"arn:aws:codebuild:us-east-1:123456789012:project/{name}", (string?)project["arn"]);
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(now, (double)project["created"]!);
        Assert.Equal(now, (double)project["lastModified"]!);
        Assert.Equal(60, (int)project["timeoutInMinutes"]!);
        Assert.False((bool)project["badge"]!["badgeEnabled"]!);
        Assert.Equal("website", (string?)project["tags"]![0]!["value"]);
        Assert.True(JsonNode.DeepEquals(project, await GetProject(name)));
    }

    [Fact]
    public async Task Creating_an_existing_project_is_ResourceAlreadyExistsException_with_a_bare_type()
    {
        var name = LocalCloudFixture.UniqueName("twice");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();

        var again = await Client.CodeBuild("CreateProject", ProjectBody(name));

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal("ResourceAlreadyExistsException", again.ErrorType);
        Assert.Contains(name, again.Message, StringComparison.Ordinal);
        Assert.Equal("ResourceAlreadyExistsException", again.Headers.GetValues("x-amzn-ErrorType").Single());
        Assert.NotNull(again.RequestId);
    }

    [Fact]
    public async Task BatchGetProjects_lists_missing_names_in_projectsNotFound()
    {
        var name = LocalCloudFixture.UniqueName("batch");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();

        var answer = (await Client.CodeBuild("BatchGetProjects", $$"""{ "names": ["{{name}}", "no-such-project"] }""")).EnsureOk();

        Assert.Equal([name], answer.Body["projects"]!.AsArray().Select(p => (string?)p!["name"]));
        Assert.Equal(["no-such-project"], answer.Body["projectsNotFound"]!.AsArray().Select(n => (string?)n));
    }

    [Fact]
    public async Task UpdateProject_replaces_the_given_members_keeps_the_rest_and_moves_lastModified()
    {
        var name = LocalCloudFixture.UniqueName("update");
        var created = (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk().Body["project"]!;
        fixture.Time.Advance(TimeSpan.FromSeconds(5));

        var updated = (await Client.CodeBuild("UpdateProject", $$"""
            { "name": "{{name}}", "description": "changed",
              "environment": { "type": "LINUX_CONTAINER", "image": "aws/codebuild/standard:8.0", "computeType": "BUILD_GENERAL1_MEDIUM" } }
            """)).EnsureOk().Body["project"]!;

        Assert.Equal("changed", (string?)updated["description"]);
        Assert.Equal("aws/codebuild/standard:8.0", (string?)updated["environment"]!["image"]);
        Assert.True(JsonNode.DeepEquals(created["source"], updated["source"]));
        Assert.Equal((double)created["created"]!, (double)updated["created"]!);
        Assert.Equal((double)created["lastModified"]! + 5, (double)updated["lastModified"]!);
    }

    [Fact]
    public async Task UpdateProject_of_a_missing_project_is_ResourceNotFoundException()
    {
        var answer = await Client.CodeBuild("UpdateProject", """{ "name": "never-created", "description": "x" }""");

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal("ResourceNotFoundException", answer.ErrorType);
    }

    [Fact]
    public async Task DeleteProject_removes_the_project_and_succeeds_again_for_a_missing_one()
    {
        var name = LocalCloudFixture.UniqueName("delete");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();

        (await Client.CodeBuild("DeleteProject", $$"""{ "name": "{{name}}" }""")).EnsureOk();
        (await Client.CodeBuild("DeleteProject", $$"""{ "name": "{{name}}" }""")).EnsureOk();

        var answer = (await Client.CodeBuild("BatchGetProjects", $$"""{ "names": ["{{name}}"] }""")).EnsureOk();
        Assert.Empty(answer.Body["projects"]!.AsArray());
        Assert.Null(fixture.Server.State.GetProject(name));
    }

    [Fact]
    public async Task ListProjects_pages_by_name_and_sorts_by_creation_time_on_request()
    {
        var prefix = LocalCloudFixture.UniqueName("list");
        var names = new[] { $"{prefix}-d", $"{prefix}-a", $"{prefix}-c", $"{prefix}-b" };
        foreach (var name in names)
        {
            (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();
            fixture.Time.Advance(TimeSpan.FromSeconds(1));
        }

        var byName = await ListAll("{}");
        var byCreatedDescending = await ListAll("""{ "sortBy": "CREATED_TIME", "sortOrder": "DESCENDING" }""");

        Assert.Equal(byName.Order(StringComparer.Ordinal), byName);
        Assert.Equal(names.Order(StringComparer.Ordinal), byName.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
        Assert.Equal(names.Reverse(), byCreatedDescending.Where(n => n.StartsWith(prefix, StringComparison.Ordinal)));
    }

    private async Task<List<string>> ListAll(string request)
    {
        var names = new List<string>();
        var body = JsonNode.Parse(request)!.AsObject();
        var pages = 0;
        while (true)
        {
            var page = (await Client.CodeBuild("ListProjects", body.ToJsonString())).EnsureOk().Body;
            var projects = page["projects"]!.AsArray().Select(p => (string)p!).ToList();
            Assert.InRange(projects.Count, 1, 3); // the fixture pages at 3
            names.AddRange(projects);
            pages++;
            if ((string?)page["nextToken"] is not { } next)
            {
                break;
            }
            body["nextToken"] = next;
        }
        Assert.True(pages >= 2, "four projects at three a page take two pages at least");
        return names;
    }

    [Fact]
    public async Task ListProjects_rejects_a_token_it_did_not_issue()
    {
        var answer = await Client.CodeBuild("ListProjects", """{ "nextToken": "not-a-token" }""");

        Assert.Equal("InvalidInputException", answer.ErrorType);
    }

    [Fact]
    public async Task CreateWebhook_answers_the_secret_once_and_the_project_never_shows_it()
    {
        var name = LocalCloudFixture.UniqueName("hook");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();

        var webhook = (await Client.CodeBuild("CreateWebhook", Webhook(name))).EnsureOk().Body["webhook"]!;

        Assert.Matches("^[0-9a-f]{40}$", (string?)webhook["secret"]);
        Assert.StartsWith("https://api.github.com/repos/acme/website/hooks/", (string?)webhook["url"], StringComparison.Ordinal);
        Assert.StartsWith("https://codebuild.us-east-1.amazonaws.com/webhooks?t=", (string?)webhook["payloadUrl"], StringComparison.Ordinal);
        var stored = (await GetProject(name))["webhook"]!;
        Assert.Null(stored["secret"]);
        Assert.Equal((string?)webhook["payloadUrl"], (string?)stored["payloadUrl"]);
        Assert.Equal("^refs/heads/main$", (string?)stored["filterGroups"]![0]![1]!["pattern"]);
        Assert.DoesNotContain((string)webhook["secret"]!, fixture.Server.State.Snapshot().Projects.Single(p => (string?)p["name"] == name).ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Webhook_lifecycle_has_the_service_errors_for_duplicates_and_absence()
    {
        var name = LocalCloudFixture.UniqueName("hooks");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();
        Assert.Equal("ResourceNotFoundException", (await Client.CodeBuild("UpdateWebhook", Webhook(name))).ErrorType);
        (await Client.CodeBuild("CreateWebhook", Webhook(name))).EnsureOk();
        Assert.Equal("ResourceAlreadyExistsException", (await Client.CodeBuild("CreateWebhook", Webhook(name))).ErrorType);

        var updated = (await Client.CodeBuild("UpdateWebhook", $$"""
            { "projectName": "{{name}}", "filterGroups": [ [ { "type": "EVENT", "pattern": "PUSH" }, { "type": "HEAD_REF", "pattern": "^refs/tags/production$" } ] ] }
            """)).EnsureOk().Body["webhook"]!;
        Assert.Equal("^refs/tags/production$", (string?)updated["filterGroups"]![0]![1]!["pattern"]);
        Assert.Null(updated["secret"]);

        (await Client.CodeBuild("DeleteWebhook", $$"""{ "projectName": "{{name}}" }""")).EnsureOk();
        Assert.Null((await GetProject(name))["webhook"]);
        Assert.Equal("ResourceNotFoundException", (await Client.CodeBuild("DeleteWebhook", $$"""{ "projectName": "{{name}}" }""")).ErrorType);
        Assert.Equal("ResourceNotFoundException", (await Client.CodeBuild("CreateWebhook", Webhook("never-created"))).ErrorType);
    }

    [Theory]
    [InlineData("""[ [ { "type": "HEAD_REF", "pattern": "^refs/heads/main$" } ] ]""", "exactly one EVENT filter")]
    [InlineData("""[ [ { "type": "EVENT", "pattern": "PUSH, SOMETHING_ELSE" } ] ]""", "SOMETHING_ELSE")]
    [InlineData("""[ [ { "type": "EVENT", "pattern": "PUSH" }, { "type": "HEAD_REF", "pattern": "^refs/heads/(main$" } ] ]""", "not a valid regular expression")]
    public async Task CreateWebhook_checks_filter_groups_like_CodeBuild(string filterGroups, string problem)
    {
        var name = LocalCloudFixture.UniqueName("filter");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();

        var answer = await Client.CodeBuild("CreateWebhook", $$"""{ "projectName": "{{name}}", "filterGroups": {{filterGroups}} }""");

        Assert.Equal("InvalidInputException", answer.ErrorType);
        Assert.Contains(problem, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_CodePipeline_sourced_project_takes_no_webhook_and_needs_CodePipeline_artifacts()
    {
        var name = LocalCloudFixture.UniqueName("piped");
        Assert.Equal("InvalidInputException", (await Client.CodeBuild("CreateProject", ProjectBody(name, "CODEPIPELINE"))).ErrorType);
        (await Client.CodeBuild("CreateProject", ProjectBody(name, "CODEPIPELINE", "CODEPIPELINE"))).EnsureOk();

        var answer = await Client.CodeBuild("CreateWebhook", Webhook(name));

        Assert.Equal("InvalidInputException", answer.ErrorType);
        Assert.Contains("CODEPIPELINE", answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Seeded_builds_are_found_by_BatchGetBuilds_and_listed_newest_first_in_pages()
    {
        var name = LocalCloudFixture.UniqueName("builds");
        (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk();
        var ids = Enumerable.Range(0, 4)
            .Select(i => (string)fixture.Server.State.AddBuild(new JsonObject { ["projectName"] = name, ["buildStatus"] = i == 3 ? "IN_PROGRESS" : "SUCCEEDED" })["id"]!)
            .ToList();

        var got = (await Client.CodeBuild("BatchGetBuilds", $$"""{ "ids": ["{{ids[3]}}", "{{name}}:missing"] }""")).EnsureOk().Body;
        var first = (await Client.CodeBuild("ListBuildsForProject", $$"""{ "projectName": "{{name}}" }""")).EnsureOk().Body;
        var second = (await Client.CodeBuild("ListBuildsForProject", $$"""{ "projectName": "{{name}}", "nextToken": "{{first["nextToken"]}}" }""")).EnsureOk().Body;

        var build = got["builds"]!.AsArray().Single()!;
        Assert.Equal(4, (long)build["buildNumber"]!);
        Assert.Equal("IN_PROGRESS", (string?)build["buildStatus"]);
        Assert.False((bool)build["buildComplete"]!);
        Assert.Equal($"arn:aws:codebuild:us-east-1:123456789012:build/{ids[3]}", (string?)build["arn"]);
        Assert.Equal([$"{name}:missing"], got["buildsNotFound"]!.AsArray().Select(n => (string?)n));
        Assert.Equal(ids.AsEnumerable().Reverse(), first["ids"]!.AsArray().Concat(second["ids"]!.AsArray()).Select(n => (string)n!));
        Assert.Null(second["nextToken"]);
    }

    [Fact]
    public async Task ListBuildsForProject_of_a_missing_project_is_ResourceNotFoundException()
    {
        var answer = await Client.CodeBuild("ListBuildsForProject", """{ "projectName": "never-created" }""");

        Assert.Equal("ResourceNotFoundException", answer.ErrorType);
    }

    [Fact]
    public async Task A_project_changed_behind_the_clients_back_is_seen_with_a_new_lastModified()
    {
        var name = LocalCloudFixture.UniqueName("drift");
        var created = (await Client.CodeBuild("CreateProject", ProjectBody(name))).EnsureOk().Body["project"]!;
        fixture.Time.Advance(TimeSpan.FromMinutes(1));

        fixture.Server.State.ChangeProject(name, p => p["environment"]!["image"] = "someone/else:latest");

        var live = await GetProject(name);
        Assert.Equal("someone/else:latest", (string?)live["environment"]!["image"]);
        Assert.Equal((double)created["lastModified"]! + 60, (double)live["lastModified"]!);
    }
}
