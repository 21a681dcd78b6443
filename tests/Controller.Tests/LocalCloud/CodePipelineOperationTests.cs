using System.Net;
using System.Text.Json.Nodes;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class CodePipelineOperationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Prefix = "com.amazonaws.codepipeline#";

    private AwsJsonTestClient Client => fixture.Client;

    internal static JsonObject Declaration(string name) => JsonNode.Parse($$"""
        { "name": "{{name}}", "roleArn": "arn:aws:iam::123456789012:role/pipeline", "pipelineType": "V2",
          "artifactStore": { "type": "S3", "location": "artifact-bucket" },
          "stages": [
            { "name": "Source", "actions": [ { "name": "Checkout",
                "actionTypeId": { "category": "Source", "owner": "AWS", "provider": "CodeStarSourceConnection", "version": "1" },
                "configuration": { "ConnectionArn": "arn:aws:codestar-connections:us-east-1:123456789012:connection/abc",
                                   "FullRepositoryId": "acme/website", "BranchName": "main" },
                "outputArtifacts": [ { "name": "source" } ] } ] },
            { "name": "staging", "actions": [ { "name": "up",
                "actionTypeId": { "category": "Build", "owner": "AWS", "provider": "CodeBuild", "version": "1" },
                "configuration": { "ProjectName": "{{name}}-staging" },
                "inputArtifacts": [ { "name": "source" } ] } ] } ],
          "triggers": [ { "providerType": "CodeStarSourceConnection",
              "gitConfiguration": { "sourceActionName": "Checkout", "push": [ { "branches": { "includes": ["main"] } } ] } } ] }
        """)!.AsObject();

    private static string Create(JsonObject declaration, string tags = """[ { "key": "reconciler/spec", "value": "website" } ]""") =>
        $$"""{ "pipeline": {{declaration.ToJsonString()}}, "tags": {{tags}} }""";

    private static string Arn(string name) => $"arn:aws:codepipeline:us-east-1:123456789012:{name}";

    [Fact]
    public async Task CreatePipeline_makes_version_1_and_GetPipeline_answers_it_with_metadata()
    {
        var name = LocalCloudFixture.UniqueName("create");

        var created = (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk().Body;
        var got = (await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}" }""")).EnsureOk().Body;

        Assert.Equal(1, (int)created["pipeline"]!["version"]!);
        Assert.Equal("SUPERSEDED", (string?)created["pipeline"]!["executionMode"]);
        Assert.Equal("website", (string?)created["tags"]![0]!["value"]);
        Assert.True(JsonNode.DeepEquals(created["pipeline"], got["pipeline"]));
        Assert.Equal(Arn(name), (string?)got["metadata"]!["pipelineArn"]);
        var now = fixture.Time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;
        Assert.Equal(now, (double)got["metadata"]!["created"]!);
        Assert.Equal(now, (double)got["metadata"]!["updated"]!);
    }

    [Fact]
    public async Task Creating_an_existing_pipeline_is_PipelineNameInUseException_with_the_namespace_prefix()
    {
        var name = LocalCloudFixture.UniqueName("twice");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        var again = await Client.CodePipeline("CreatePipeline", Create(Declaration(name)));

        Assert.Equal(HttpStatusCode.BadRequest, again.Status);
        Assert.Equal(Prefix + "PipelineNameInUseException", again.ErrorType);
        Assert.StartsWith("PipelineNameInUseException:", again.Headers.GetValues("x-amzn-ErrorType").Single(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task UpdatePipeline_increments_the_version_and_moves_updated_but_not_created()
    {
        var name = LocalCloudFixture.UniqueName("update");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();
        var before = (await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}" }""")).EnsureOk().Body["metadata"]!;
        fixture.Time.Advance(TimeSpan.FromSeconds(30));
        var changed = Declaration(name);
        changed["stages"]![1]!["actions"]![0]!["configuration"]!["ProjectName"] = "other";
        changed["version"] = 1;

        var updated = (await Client.CodePipeline("UpdatePipeline", $$"""{ "pipeline": {{changed.ToJsonString()}} }""")).EnsureOk().Body["pipeline"]!;
        var again = (await Client.CodePipeline("UpdatePipeline", $$"""{ "pipeline": {{changed.ToJsonString()}} }""")).EnsureOk().Body["pipeline"]!;
        var after = (await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}" }""")).EnsureOk().Body;

        Assert.Equal(2, (int)updated["version"]!);
        Assert.Equal(3, (int)again["version"]!);
        Assert.Equal("other", (string?)after["pipeline"]!["stages"]![1]!["actions"]![0]!["configuration"]!["ProjectName"]);
        Assert.Equal((double)before["created"]!, (double)after["metadata"]!["created"]!);
        Assert.Equal((double)before["updated"]! + 30, (double)after["metadata"]!["updated"]!);
    }

    [Fact]
    public async Task A_missing_pipeline_is_PipelineNotFoundException_for_get_update_and_state()
    {
        var get = await Client.CodePipeline("GetPipeline", """{ "name": "never-created" }""");
        var update = await Client.CodePipeline("UpdatePipeline", $$"""{ "pipeline": {{Declaration("never-created").ToJsonString()}} }""");
        var state = await Client.CodePipeline("GetPipelineState", """{ "name": "never-created" }""");

        Assert.All(new[] { get, update, state }, a => Assert.Equal(Prefix + "PipelineNotFoundException", a.ErrorType));
        Assert.Equal("Account '123456789012' does not have a pipeline with name 'never-created'", get.Message);
    }

    [Fact]
    public async Task GetPipeline_of_a_version_other_than_the_current_is_PipelineVersionNotFoundException()
    {
        var name = LocalCloudFixture.UniqueName("version");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        (await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}", "version": 1 }""")).EnsureOk();
        var answer = await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}", "version": 7 }""");

        Assert.Equal(Prefix + "PipelineVersionNotFoundException", answer.ErrorType);
    }

    [Fact]
    public async Task DeletePipeline_removes_it_and_succeeds_again_for_a_missing_one()
    {
        var name = LocalCloudFixture.UniqueName("delete");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        (await Client.CodePipeline("DeletePipeline", $$"""{ "name": "{{name}}" }""")).EnsureOk();
        (await Client.CodePipeline("DeletePipeline", $$"""{ "name": "{{name}}" }""")).EnsureOk();

        Assert.Equal(Prefix + "PipelineNotFoundException", (await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}" }""")).ErrorType);
    }

    [Fact]
    public async Task GetPipelineState_names_every_stage_and_action_with_the_version()
    {
        var name = LocalCloudFixture.UniqueName("state");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        var state = (await Client.CodePipeline("GetPipelineState", $$"""{ "name": "{{name}}" }""")).EnsureOk().Body;

        Assert.Equal(name, (string?)state["pipelineName"]);
        Assert.Equal(1, (int)state["pipelineVersion"]!);
        Assert.Equal(["Source", "staging"], state["stageStates"]!.AsArray().Select(s => (string?)s!["stageName"]));
        Assert.Equal("up", (string?)state["stageStates"]![1]!["actionStates"]![0]!["actionName"]);
    }

    [Fact]
    public async Task ListPipelines_pages_summaries_with_version_type_and_times()
    {
        var prefix = LocalCloudFixture.UniqueName("list");
        foreach (var suffix in new[] { "a", "b", "c", "d" })
        {
            (await Client.CodePipeline("CreatePipeline", Create(Declaration($"{prefix}-{suffix}")))).EnsureOk();
        }
        var summaries = new List<JsonNode>();
        string? token = null;
        do
        {
            var request = token is null ? """{ "maxResults": 2 }""" : $$"""{ "maxResults": 2, "nextToken": "{{token}}" }""";
            var page = (await Client.CodePipeline("ListPipelines", request)).EnsureOk().Body;
            Assert.InRange(page["pipelines"]!.AsArray().Count, 1, 2);
            summaries.AddRange(page["pipelines"]!.AsArray()!);
            token = (string?)page["nextToken"];
        }
        while (token is not null);

        var mine = summaries.Where(s => ((string)s["name"]!).StartsWith(prefix, StringComparison.Ordinal)).ToList();
        Assert.Equal(4, mine.Count);
        Assert.All(mine, s =>
        {
            Assert.Equal(1, (int)s["version"]!);
            Assert.Equal("V2", (string?)s["pipelineType"]);
            Assert.NotNull(s["created"]);
            Assert.NotNull(s["updated"]);
        });
        Assert.Equal(Prefix + "InvalidNextTokenException", (await Client.CodePipeline("ListPipelines", """{ "nextToken": "forged" }""")).ErrorType);
    }

    [Fact]
    public async Task Tags_are_listed_added_replaced_and_removed_by_pipeline_arn()
    {
        var name = LocalCloudFixture.UniqueName("tags");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        (await Client.CodePipeline("TagResource", $$"""
            { "resourceArn": "{{Arn(name)}}", "tags": [ { "key": "team", "value": "web" }, { "key": "reconciler/spec", "value": "site" } ] }
            """)).EnsureOk();
        (await Client.CodePipeline("UntagResource", $$"""{ "resourceArn": "{{Arn(name)}}", "tagKeys": ["team"] }""")).EnsureOk();
        var tags = (await Client.CodePipeline("ListTagsForResource", $$"""{ "resourceArn": "{{Arn(name)}}" }""")).EnsureOk().Body["tags"]!;

        Assert.Equal("""[{"key":"reconciler/spec","value":"site"}]""", tags.ToJsonString());
    }

    [Fact]
    public async Task Tag_operations_answer_InvalidArn_ResourceNotFound_and_InvalidTags_like_the_service()
    {
        var name = LocalCloudFixture.UniqueName("tagerr");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        var otherAccount = await Client.CodePipeline("ListTagsForResource", $$"""{ "resourceArn": "arn:aws:codepipeline:us-east-1:999999999999:{{name}}" }""");
        var missing = await Client.CodePipeline("ListTagsForResource", $$"""{ "resourceArn": "{{Arn("never-created")}}" }""");
        var reserved = await Client.CodePipeline("TagResource", $$"""{ "resourceArn": "{{Arn(name)}}", "tags": [ { "key": "aws:x", "value": "y" } ] }""");
        var malformed = await Client.CodePipeline("ListTagsForResource", """{ "resourceArn": "not-an-arn" }""");

        Assert.Equal(Prefix + "InvalidArnException", otherAccount.ErrorType);
        Assert.Equal(Prefix + "ResourceNotFoundException", missing.ErrorType);
        Assert.Equal(Prefix + "InvalidTagsException", reserved.ErrorType);
        Assert.Equal(Prefix + "ValidationException", malformed.ErrorType);
    }

    public static TheoryData<string, string> BrokenStructures => new()
    {
        { "one-stage", "at least two stages" },
        { "build-in-first-stage", "may contain only source actions" },
        { "source-in-second-stage", "must be in the first stage" },
        { "duplicate-stage", "stage name 'Source' is used more than once" },
        { "duplicate-action", "action name 'up' is used more than once" },
        { "unproduced-input", "input artifact 'nothing' of action 'up' is not the output of an earlier action" },
        { "no-artifact-store", "exactly one of artifactStore or artifactStores" },
        { "trigger-on-v1", "triggers are supported only by V2 pipelines" },
        { "trigger-unknown-source", "trigger names source action 'Elsewhere'" },
    };

    [Theory]
    [MemberData(nameof(BrokenStructures))]
    public async Task CreatePipeline_rejects_broken_structures_with_InvalidStructureException(string breakage, string problem)
    {
        var name = LocalCloudFixture.UniqueName("broken");
        var declaration = Declaration(name);
        var stages = declaration["stages"]!.AsArray();
        var build = stages[1]!["actions"]!.AsArray();
        switch (breakage)
        {
            case "one-stage": stages.RemoveAt(1); break;
            case "build-in-first-stage": stages[0]!["actions"]!.AsArray().Add(build[0]!.DeepClone()); break;
            case "source-in-second-stage": build.Add(stages[0]!["actions"]![0]!.DeepClone()); break;
            case "duplicate-stage": stages[1]!["name"] = "Source"; break;
            case "duplicate-action": build.Add(build[0]!.DeepClone()); break;
            case "unproduced-input": build[0]!["inputArtifacts"]![0]!["name"] = "nothing"; break;
            case "no-artifact-store": declaration.Remove("artifactStore"); break;
            case "trigger-on-v1": declaration["pipelineType"] = "V1"; break;
            case "trigger-unknown-source": declaration["triggers"]![0]!["gitConfiguration"]!["sourceActionName"] = "Elsewhere"; break;
        }

        var answer = await Client.CodePipeline("CreatePipeline", Create(declaration));

        Assert.Equal(HttpStatusCode.BadRequest, answer.Status);
        Assert.Equal(Prefix + "InvalidStructureException", answer.ErrorType);
        Assert.Contains(problem, answer.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(name, fixture.Server.State.PipelineNames);
    }

    [Fact]
    public async Task A_pipeline_changed_behind_the_clients_back_shows_the_next_version()
    {
        var name = LocalCloudFixture.UniqueName("drift");
        (await Client.CodePipeline("CreatePipeline", Create(Declaration(name)))).EnsureOk();

        fixture.Server.State.ChangePipeline(name, d => d["stages"]![1]!["name"] = "renamed");

        var got = (await Client.CodePipeline("GetPipeline", $$"""{ "name": "{{name}}" }""")).EnsureOk().Body["pipeline"]!;
        Assert.Equal(2, (int)got["version"]!);
        Assert.Equal("renamed", (string?)got["stages"]![1]!["name"]);
    }
}
