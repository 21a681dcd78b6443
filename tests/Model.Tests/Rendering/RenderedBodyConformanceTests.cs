using System.Text.Json.Nodes;
using Reconciler.Model.Aws.ApiModels;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>Every rendered request body of every sample holds to the CodeBuild and CodePipeline API models.</summary>
public class RenderedBodyConformanceTests
{
    public static TheoryData<string> Samples() => GoldenRenderingTests.Samples();

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_request_body_of_a_sample_conforms_to_its_api_model(string sample)
    {
        var state = PipelineRenderer.Render(GoldenRenderingTests.Load(sample));
        var requests = RenderedRequests.All(state).ToList();

        Assert.Contains(requests, r => r.Operation == "CreateProject");
        Assert.Equal(state.Projects.Count(p => p.Webhook is not null), requests.Count(r => r.Operation == "CreateWebhook"));
        Assert.Equal(state.Pipeline is null ? 0 : 1, requests.Count(r => r.Operation == "CreatePipeline"));
        Assert.Empty(RenderedRequests.Violations(state));
    }

    [Fact]
    public void The_samples_cover_a_pipeline_and_standalone_projects()
    {
        var states = GoldenRenderingTests.SampleNames().Select(s => PipelineRenderer.Render(GoldenRenderingTests.Load(s))).ToList();
        Assert.Contains(states, s => s.Pipeline is not null);
        Assert.Contains(states, s => s.Pipeline is null);
    }

    [Fact]
    public void A_broken_project_body_is_caught()
    {
        var state = PipelineRenderer.Render(GoldenRenderingTests.Load("website"));
        var request = RenderedRequests.All(state).First(r => r.Operation == "CreateProject");
        var body = request.Body.AsObject();
        body["environment"]!["computeType"] = "BUILD_GENERAL1_HUGE";
        body["source"]!["buildSpec"] = "typo in the member name";
        body.Remove("serviceRole");
        body["tags"]!.AsArray().Add(new JsonObject { ["key"] = "", ["value"] = "v" });

        var violations = RenderedRequests.Violations(request).ToList();

        Assert.Contains(violations, v => v.Contains("$.environment.computeType", StringComparison.Ordinal) && v.Contains("BUILD_GENERAL1_HUGE", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("$.source.buildSpec", StringComparison.Ordinal) && v.Contains("no member", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("$.serviceRole", StringComparison.Ordinal) && v.Contains("required", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("$.tags[3].key", StringComparison.Ordinal));
    }

    [Fact]
    public void A_broken_pipeline_and_webhook_body_is_caught()
    {
        var state = PipelineRenderer.Render(GoldenRenderingTests.Load("payments-pipeline"));
        var requests = RenderedRequests.All(state).ToList();
        var pipeline = requests.First(r => r.Operation == "CreatePipeline").Body;
        pipeline["pipeline"]!["pipelineType"] = "V3";
        pipeline["pipeline"]!["stages"]![1]!["actions"]![0]!["actionTypeId"]!["category"] = "Deploy-ish";
        pipeline["pipeline"]!["triggers"]![0]!["gitConfiguration"]!["push"]![0]!["branches"]!["includes"] =
            new JsonArray(Enumerable.Range(0, 9).Select(i => (JsonNode?)JsonValue.Create($"b{i}")).ToArray());
        var webhook = requests.First(r => r.Operation == "CreateWebhook").Body;
        webhook["filterGroups"]![0]![0]!["type"] = "BRANCH";

        var pipelineViolations = ApiModels.CodePipeline.ValidateInput("CreatePipeline", pipeline);
        var webhookViolations = ApiModels.CodeBuild.ValidateInput("CreateWebhook", webhook);

        Assert.Contains(pipelineViolations, v => v.StartsWith("$.pipeline.pipelineType:", StringComparison.Ordinal));
        Assert.Contains(pipelineViolations, v => v.StartsWith("$.pipeline.stages[1].actions[0].actionTypeId.category:", StringComparison.Ordinal));
        Assert.Contains(pipelineViolations, v => v.Contains("push[0].branches.includes: 9 items, at most 8", StringComparison.Ordinal));
        Assert.Contains(webhookViolations, v => v.StartsWith("$.filterGroups[0][0].type:", StringComparison.Ordinal));
    }
}
