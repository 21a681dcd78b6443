using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Amazon.Runtime;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>Every typed CodeBuild, CodePipeline and SSM operation against LocalCloud over HTTP, signatures verified, errors mapped.</summary>
public class LocalCloudRoundTripTests(LocalCloudClientFixture cloud) : IClassFixture<LocalCloudClientFixture>
{
    private static readonly CancellationToken None = CancellationToken.None;

    [Fact]
    public async Task CodeBuild_projects_webhooks_and_builds_round_trip()
    {
        using var clients = cloud.CreateClients();
        var codeBuild = clients.CodeBuild;
        var name = LocalCloudClientFixture.UniqueName("rt-project");
        var preview = LocalCloudClientFixture.UniqueName("rt-preview");

        var created = await codeBuild.CreateProjectAsync(AwsSamples.Project(name), None);
        Assert.Equal($"arn:aws:codebuild:us-east-1:123456789012:project/{name}", created.Arn);
        Assert.NotNull(created.Created);
        await codeBuild.CreateProjectAsync(AwsSamples.Project(preview), None);

        var batch = await codeBuild.BatchGetProjectsAsync([name, preview, "rt-missing-project"], None);
        Assert.Equal(new[] { name, preview }.Order(StringComparer.Ordinal), batch.Projects.Select(p => p.Name).Order(StringComparer.Ordinal));
        Assert.Equal(["rt-missing-project"], batch.ProjectsNotFound);
        var read = batch.Projects.Single(p => p.Name == name);
        Assert.Equal("/pulumi/access-token", read.Environment.EnvironmentVariables!.Single(v => v.Name == "PULUMI_ACCESS_TOKEN").Value);
        Assert.Equal("PARAMETER_STORE", read.Environment.EnvironmentVariables!.Single(v => v.Name == "PULUMI_ACCESS_TOKEN").Type);

        var listed = new List<string>();
        string? token = null;
        do
        {
            var page = await codeBuild.ListProjectsAsync(token, None);
            Assert.True(page.Items.Count <= 2);
            listed.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null);
        Assert.Contains(name, listed);
        Assert.Contains(preview, listed);

        var updated = await codeBuild.UpdateProjectAsync(AwsSamples.Project(name) with { TimeoutInMinutes = 30, Description = "changed" }, None);
        Assert.Equal(30, updated.TimeoutInMinutes);
        Assert.True(updated.LastModified >= created.LastModified);

        var hook = await codeBuild.CreateWebhookAsync(AwsSamples.Webhook(preview), None);
        Assert.NotNull(hook.Url);
        var changedHook = await codeBuild.UpdateWebhookAsync(AwsSamples.Webhook(preview) with
        {
            FilterGroups = [[new WebhookFilter { Type = "EVENT", Pattern = "PULL_REQUEST_CREATED" }, new WebhookFilter { Type = "BASE_REF", Pattern = "^refs/heads/develop$" }]],
        }, None);
        Assert.Equal("^refs/heads/develop$", changedHook.FilterGroups![0][1].Pattern);
        var withHook = (await codeBuild.BatchGetProjectsAsync([preview], None)).Projects.Single();
        Assert.Equal("^refs/heads/develop$", withHook.Webhook!.FilterGroups![0][1].Pattern);
        await codeBuild.DeleteWebhookAsync(preview, None);
        Assert.Null((await codeBuild.BatchGetProjectsAsync([preview], None)).Projects.Single().Webhook);

        var build = cloud.Server.State.AddBuild(new JsonObject { ["projectName"] = name, ["buildStatus"] = "FAILED" });
        cloud.Server.State.AddBuild(new JsonObject { ["projectName"] = name });
        cloud.Server.State.AddBuild(new JsonObject { ["projectName"] = name, ["buildStatus"] = "IN_PROGRESS" });
        var ids = new List<string>();
        token = null;
        do
        {
            var page = await codeBuild.ListBuildsForProjectAsync(name, token, None);
            ids.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null);
        Assert.Equal(3, ids.Count);
        var builds = await codeBuild.BatchGetBuildsAsync([(string)build["id"]!, $"{name}:not-a-build"], None);
        var failed = Assert.Single(builds.Builds);
        Assert.Equal(("FAILED", name), (failed.BuildStatus, failed.ProjectName));
        Assert.NotNull(failed.StartTime);
        Assert.Equal([$"{name}:not-a-build"], builds.BuildsNotFound);

        await codeBuild.DeleteProjectAsync(name, None);
        Assert.Equal([name], (await codeBuild.BatchGetProjectsAsync([name], None)).ProjectsNotFound);
    }

    [Fact]
    public async Task CodeBuild_errors_map_to_the_exception_family()
    {
        using var clients = cloud.CreateClients();
        var codeBuild = clients.CodeBuild;
        var name = LocalCloudClientFixture.UniqueName("rt-errors");
        await codeBuild.CreateProjectAsync(AwsSamples.Project(name), None);

        var exists = await Assert.ThrowsAsync<AwsAlreadyExistsException>(() => codeBuild.CreateProjectAsync(AwsSamples.Project(name), None));
        Assert.Equal("ResourceAlreadyExistsException", exists.ErrorCode);
        Assert.False(string.IsNullOrEmpty(exists.RequestId));
        await Assert.ThrowsAsync<AwsNotFoundException>(() => codeBuild.UpdateProjectAsync(AwsSamples.Project("rt-never-created"), None));
        await Assert.ThrowsAsync<AwsNotFoundException>(() => codeBuild.CreateWebhookAsync(AwsSamples.Webhook("rt-never-created"), None));
        await Assert.ThrowsAsync<AwsNotFoundException>(() => codeBuild.DeleteWebhookAsync(name, None));
        var invalid = await Assert.ThrowsAsync<AwsValidationException>(() => codeBuild.CreateProjectAsync(AwsSamples.Project("-not a valid name"), None));
        Assert.Contains(invalid.ErrorCode, new[] { "InvalidInputException", "ValidationException" });

        var counts = cloud.Server.Counters["CodeBuild.CreateProject"];
        Assert.Equal(0, counts.Throttled + counts.ServerErrors);
    }

    [Fact]
    public async Task CodePipeline_pipelines_and_tags_round_trip()
    {
        using var clients = cloud.CreateClients();
        var pipelines = clients.CodePipeline;
        var name = LocalCloudClientFixture.UniqueName("rt-pipeline");

        var created = await pipelines.CreatePipelineAsync(AwsSamples.Pipeline(name), [new AwsTag { Key = OwnershipTags.Spec, Value = "website" }], None);
        Assert.Equal(1, created.Version);

        var got = await pipelines.GetPipelineAsync(name, None);
        Assert.Equal(["Source", "staging"], got.Pipeline.Stages.Select(s => s.Name));
        Assert.Equal("website-staging", got.Pipeline.Stages[1].Actions[0].Configuration!["ProjectName"]);
        var arn = got.Metadata!.PipelineArn!;
        Assert.Equal($"arn:aws:codepipeline:us-east-1:123456789012:{name}", arn);
        Assert.NotNull(got.Metadata.Created);

        var summaries = new List<PipelineSummary>();
        string? token = null;
        do
        {
            var page = await pipelines.ListPipelinesAsync(token, None);
            summaries.AddRange(page.Items);
            token = page.NextToken;
        }
        while (token is not null);
        Assert.Contains(summaries, s => s.Name == name && s.Version == 1);

        var updated = await pipelines.UpdatePipelineAsync(got.Pipeline with { ExecutionMode = "SUPERSEDED" }, None);
        Assert.Equal(2, updated.Version);
        var after = await pipelines.GetPipelineAsync(name, None);
        Assert.Equal(("SUPERSEDED", 2), (after.Pipeline.ExecutionMode, after.Pipeline.Version));
        Assert.True(after.Metadata!.Updated >= got.Metadata.Created);

        var state = await pipelines.GetPipelineStateAsync(name, None);
        Assert.Equal((name, 2), (state.PipelineName, state.PipelineVersion));
        Assert.Equal(["Source", "staging"], state.StageStates.Select(s => s.StageName));

        await pipelines.TagResourceAsync(arn, [new AwsTag { Key = OwnershipTags.Uid, Value = "u-1" }, new AwsTag { Key = "team", Value = "web" }, new AwsTag { Key = "cost", Value = "1" }], None);
        var tags = await pipelines.ListTagsForResourceAsync(arn, None);
        Assert.Equal(["cost", OwnershipTags.Spec, OwnershipTags.Uid, "team"], tags.Select(t => t.Key).Order(StringComparer.Ordinal));
        await pipelines.UntagResourceAsync(arn, ["team", "cost"], None);
        Assert.Equal([OwnershipTags.Spec, OwnershipTags.Uid], (await pipelines.ListTagsForResourceAsync(arn, None)).Select(t => t.Key).Order(StringComparer.Ordinal));

        await pipelines.DeletePipelineAsync(name, None);
        var gone = await Assert.ThrowsAsync<AwsNotFoundException>(() => pipelines.GetPipelineAsync(name, None));
        Assert.Equal("PipelineNotFoundException", gone.ErrorCode);
    }

    [Fact]
    public async Task CodePipeline_errors_map_to_the_exception_family()
    {
        using var clients = cloud.CreateClients();
        var pipelines = clients.CodePipeline;
        var name = LocalCloudClientFixture.UniqueName("rt-pipe-err");
        await pipelines.CreatePipelineAsync(AwsSamples.Pipeline(name), null, None);

        var inUse = await Assert.ThrowsAsync<AwsAlreadyExistsException>(() => pipelines.CreatePipelineAsync(AwsSamples.Pipeline(name), null, None));
        Assert.Equal("PipelineNameInUseException", inUse.ErrorCode);
        var structure = await Assert.ThrowsAsync<AwsValidationException>(() => pipelines.UpdatePipelineAsync(AwsSamples.Pipeline(name) with { Stages = [AwsSamples.Pipeline(name).Stages[1]] }, None));
        Assert.Equal("InvalidStructureException", structure.ErrorCode);
        await Assert.ThrowsAsync<AwsNotFoundException>(() => pipelines.GetPipelineStateAsync("rt-no-such-pipeline", None));
        await Assert.ThrowsAsync<AwsNotFoundException>(() => pipelines.ListTagsForResourceAsync("arn:aws:codepipeline:us-east-1:123456789012:rt-no-such-pipeline", None));
        Assert.Equal(1, cloud.Server.Counters["CodePipeline.UpdatePipeline"].Failed);
    }

    [Fact]
    public async Task ParameterExists_sees_a_parameter_put_through_the_generic_client()
    {
        using var clients = cloud.CreateClients();
        var name = "/" + LocalCloudClientFixture.UniqueName("rt/token");
        Assert.False(await clients.Ssm.ParameterExistsAsync(name, None));

        using var http = new HttpClient();
        using var telemetry = new AwsTelemetry();
        using var ssm = new AwsJsonClient(AwsService.Ssm, cloud.Options, http, telemetry, environment: _ => null);
        var node = (JsonTypeInfo<JsonObject>)JsonSerializerOptions.Default.GetTypeInfo(typeof(JsonObject));
        await ssm.SendAsync("PutParameter", new JsonObject { ["Name"] = name, ["Value"] = "not-a-real-token", ["Type"] = "SecureString" }, node, node, None);

        Assert.True(await clients.Ssm.ParameterExistsAsync(name, None));
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected_by_signature_recomputation_and_not_retried()
    {
        var options = cloud.Options with { Credentials = new BasicAWSCredentials(Reconciler.LocalCloud.LocalCloudInfo.TestAccessKeyId, "a-tampered-secret") };
        using var clients = cloud.CreateClients(options);
        var before = cloud.Server.Counters["CodeBuild.ListProjects"].Requests;

        var denied = await Assert.ThrowsAsync<AwsAccessDeniedException>(() => clients.CodeBuild.ListProjectsAsync(null, None));

        Assert.Equal("InvalidSignatureException", denied.ErrorCode);
        Assert.Equal(before + 1, cloud.Server.Counters["CodeBuild.ListProjects"].Requests);
    }

    [Fact]
    public async Task Session_credentials_sign_the_security_token_and_are_accepted()
    {
        var options = cloud.Options with { Credentials = new SessionAWSCredentials(Reconciler.LocalCloud.LocalCloudInfo.TestAccessKeyId, Reconciler.LocalCloud.LocalCloudInfo.TestSecretAccessKey, "a-session-token") };
        using var clients = cloud.CreateClients(options);

        var page = await clients.CodeBuild.ListProjectsAsync(null, None);

        Assert.NotNull(page);
    }
}
