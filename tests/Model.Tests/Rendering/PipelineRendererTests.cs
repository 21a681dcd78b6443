using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Model.Tests.Rendering;

public class PipelineRendererTests
{
    private static readonly PulumiPipeline Trunk = Specs.Document([Specs.PullRequest("preview"), Specs.Push("staging"), Specs.Tag("production")]);

    [Fact]
    public void Each_stage_becomes_a_project_named_spec_dash_stage_with_a_webhook_that_matches_its_trigger()
    {
        var state = PipelineRenderer.Render(Trunk);

        Assert.Equal(["app-preview", "app-staging", "app-production"], state.Projects.Select(p => p.Project.Name));
        Assert.Null(state.Pipeline);
        Assert.Equal(
            [
                ("EVENT", "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED"),
                ("BASE_REF", "^refs/heads/main$"),
            ],
            Filters(state.Projects[0]));
        Assert.Equal([("EVENT", "PUSH"), ("HEAD_REF", "^refs/heads/main$")], Filters(state.Projects[1]));
        Assert.Equal([("EVENT", "PUSH"), ("HEAD_REF", "^refs/tags/production$")], Filters(state.Projects[2]));
        Assert.All(state.Projects, p => Assert.Equal("BUILD", p.Webhook!.BuildType));
        Assert.All(state.Projects, p => Assert.Equal(p.Project.Name, p.Webhook!.ProjectName));
    }

    [Fact]
    public void Ref_names_are_regex_escaped()
    {
        var state = PipelineRenderer.Render(Specs.Document([Specs.Push("staging", branch: "release/1.0+x"), Specs.Tag("production", tag: "v(1)")]));
        Assert.Equal(@"^refs/heads/release/1\.0\+x$", Filters(state.Projects[0])[1].Pattern);
        Assert.Equal(@"^refs/tags/v\(1\)$", Filters(state.Projects[1])[1].Pattern);
        Assert.Matches(Filters(state.Projects[0])[1].Pattern, "refs/heads/release/1.0+x");
        Assert.DoesNotMatch(Filters(state.Projects[0])[1].Pattern, "refs/heads/release/1a0+x");
    }

    [Fact]
    public void A_standalone_project_checks_out_the_repository_through_the_connection()
    {
        var state = PipelineRenderer.Render(Trunk);
        var preview = state.Projects[0].Project;
        var staging = state.Projects[1].Project;

        Assert.Equal("GITHUB", preview.Source.Type);
        Assert.Equal("https://github.com/acme/app.git", preview.Source.Location);
        Assert.Equal(1, preview.Source.GitCloneDepth);
        Assert.Equal(new SourceAuth { Type = "CODECONNECTIONS", Resource = "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc" }, preview.Source.Auth);
        Assert.True(preview.Source.ReportBuildStatus);
        Assert.Null(staging.Source.ReportBuildStatus);
        Assert.Equal("NO_ARTIFACTS", preview.Artifacts.Type);
        Assert.Equal("arn:aws:iam::111122223333:role/build", preview.ServiceRole);
        Assert.Equal(60, preview.TimeoutInMinutes);
        Assert.Equal(("LINUX_CONTAINER", "aws/codebuild/standard:7.0", "BUILD_GENERAL1_SMALL"),
            (preview.Environment.Type, preview.Environment.Image, preview.Environment.ComputeType));
    }

    [Fact]
    public void Without_a_connection_the_source_carries_no_auth()
    {
        var doc = Trunk with { Spec = Trunk.Spec with { Source = Trunk.Spec.Source with { ConnectionArn = null } } };
        Assert.All(PipelineRenderer.Render(doc).Projects, p => Assert.Null(p.Project.Source.Auth));
    }

    [Fact]
    public void The_access_token_is_a_parameter_store_reference_and_spec_variables_keep_their_types()
    {
        var doc = Trunk with
        {
            Spec = Trunk.Spec with
            {
                Build = Trunk.Spec.Build with
                {
                    Environment =
                    [
                        new EnvironmentVariableSpec { Name = "AWS_REGION", Value = "us-east-1" },
                        new EnvironmentVariableSpec { Name = "DB_PASSWORD", Value = "/app/db-password", Type = "PARAMETER_STORE" },
                        new EnvironmentVariableSpec { Name = "API_KEY", Value = "arn:aws:secretsmanager:us-east-1:111122223333:secret:k", Type = "SECRETS_MANAGER" },
                    ],
                },
            },
        };
        var variables = PipelineRenderer.Render(doc).Projects[0].Project.Environment.EnvironmentVariables!;

        Assert.Equal(
            [
                ("AWS_REGION", "us-east-1", "PLAINTEXT"),
                ("DB_PASSWORD", "/app/db-password", "PARAMETER_STORE"),
                ("API_KEY", "arn:aws:secretsmanager:us-east-1:111122223333:secret:k", "SECRETS_MANAGER"),
                ("PULUMI_ACCESS_TOKEN", "/pulumi/access-token", "PARAMETER_STORE"),
            ],
            variables.Select(v => (v.Name, v.Value, v.Type)));
    }

    [Fact]
    public void Tags_are_the_spec_tags_plus_ownership_tags_sorted_by_key_with_the_uid_only_when_set()
    {
        var withoutUid = PipelineRenderer.Render(Trunk).Projects[0].Project.Tags!;
        var withUid = PipelineRenderer.Render(Trunk with { Metadata = Trunk.Metadata with { Uid = "0b7c2c9e-uid" } }).Projects[0].Project.Tags!;

        Assert.Equal(
            [("cost-center", "42"), ("reconciler.io/managed-by", "reconciler"), ("reconciler.io/spec", "app"), ("team", "web")],
            withoutUid.Select(t => (t.Key, t.Value)));
        Assert.Equal(
            [("cost-center", "42"), ("reconciler.io/managed-by", "reconciler"), ("reconciler.io/spec", "app"), ("reconciler.io/uid", "0b7c2c9e-uid"), ("team", "web")],
            withUid.Select(t => (t.Key, t.Value)));
    }

    [Fact]
    public void The_buildspec_installs_the_pinned_cli_and_runs_the_stage_operation_in_the_work_dir()
    {
        var state = PipelineRenderer.Render(Trunk with
        {
            Spec = Trunk.Spec with { Stages = [.. Trunk.Spec.Stages, Specs.Push("drift", operation: StageOperations.Refresh)] },
        });

        var preview = Commands(state.Projects[0].Project.Source.Buildspec!);
        Assert.Equal(
            [
                "curl -fsSL https://get.pulumi.com | sh -s -- --version 3.140.0",
                "export PATH=\"$HOME/.pulumi/bin:$PATH\"",
                "pulumi version",
                "cd infra",
                "pulumi install",
                "pulumi stack select acme/app/dev --non-interactive",
                "pulumi preview --diff --non-interactive",
            ],
            preview);
        Assert.Equal("pulumi up --yes --non-interactive", Commands(state.Projects[1].Project.Source.Buildspec!)[^1]);
        Assert.Equal("pulumi refresh --yes --non-interactive", Commands(state.Projects[3].Project.Source.Buildspec!)[^1]);
        var yaml = Parse(state.Projects[0].Project.Source.Buildspec!);
        Assert.Equal("0.2", ((YamlScalarNode)yaml.Children[new YamlScalarNode("version")]).Value);
        Assert.StartsWith("version: 0.2\n", state.Projects[0].Project.Source.Buildspec, StringComparison.Ordinal);
    }

    [Fact]
    public void A_preview_on_push_shows_no_diff_and_the_esc_environment_is_attached_after_stack_select()
    {
        var doc = Specs.Document([Specs.Push("check", operation: StageOperations.Preview)]);
        doc = doc with { Spec = doc.Spec with { Pulumi = doc.Spec.Pulumi with { EscEnvironment = "acme/app-aws", WorkDir = null } } };

        var commands = Commands(PipelineRenderer.Render(doc).Projects[0].Project.Source.Buildspec!);

        Assert.DoesNotContain(commands, c => c.StartsWith("cd ", StringComparison.Ordinal));
        Assert.Equal("pulumi config env add acme/app-aws --yes --non-interactive",
            commands[commands.IndexOf("pulumi stack select acme/app/staging --non-interactive") + 1]);
        Assert.Equal("pulumi preview --non-interactive", commands[^1]);
    }

    [Fact]
    public void Values_a_shell_or_yaml_would_misread_are_quoted_and_read_back_exactly()
    {
        var stage = Specs.Push("odd") with { Stack = "acme/app/it's: #1" };
        var doc = Specs.Document([stage]);
        doc = doc with { Spec = doc.Spec with { Pulumi = doc.Spec.Pulumi with { WorkDir = "my infra/$HOME", CliVersion = "3.140.0; rm -rf /" } } };

        var commands = Commands(PipelineRenderer.Render(doc).Projects[0].Project.Source.Buildspec!);

        Assert.Contains("cd 'my infra/$HOME'", commands);
        Assert.Contains(@"pulumi stack select 'acme/app/it'\''s: #1' --non-interactive", commands);
        Assert.Contains("curl -fsSL https://get.pulumi.com | sh -s -- --version '3.140.0; rm -rf /'", commands);
    }

    [Fact]
    public void Hashes_are_stable_and_change_with_what_they_cover()
    {
        var first = PipelineRenderer.Render(Trunk);
        var again = PipelineRenderer.Render(Specs.Document([Specs.PullRequest("preview"), Specs.Push("staging"), Specs.Tag("production")]));
        var changed = PipelineRenderer.Render(Trunk with { Spec = Trunk.Spec with { Build = Trunk.Spec.Build with { TimeoutMinutes = 90 } } });

        Assert.Equal(first.SpecHash, again.SpecHash);
        Assert.Equal(first.Projects.Select(p => p.Hash), again.Projects.Select(p => p.Hash));
        Assert.Equal(3, first.Projects.Select(p => p.Hash).Distinct().Count());
        Assert.All(first.Projects.Select(p => p.Hash), h => Assert.Matches("^[0-9a-f]{64}$", h));
        Assert.NotEqual(first.SpecHash, changed.SpecHash);
        Assert.All(first.Projects.Zip(changed.Projects), pair => Assert.NotEqual(pair.First.Hash, pair.Second.Hash));
    }

    [Fact]
    public void With_a_pipeline_push_and_tag_stages_run_as_actions_while_pull_requests_stay_standalone()
    {
        var doc = Specs.Document([Specs.PullRequest("preview"), Specs.Push("staging"), Specs.Tag("production", approval: true)], pipeline: true);
        var state = PipelineRenderer.Render(doc);

        var preview = state.Projects[0];
        Assert.NotNull(preview.Webhook);
        Assert.Equal("GITHUB", preview.Project.Source.Type);
        Assert.All(state.Projects.Skip(1), p =>
        {
            Assert.Null(p.Webhook);
            Assert.Equal(new ProjectSource { Type = "CODEPIPELINE", Buildspec = p.Project.Source.Buildspec }, p.Project.Source);
            Assert.Equal("CODEPIPELINE", p.Project.Artifacts.Type);
        });

        var pipeline = state.Pipeline!;
        var declaration = pipeline.Declaration;
        Assert.Equal(("app", "V2", "QUEUED"), (declaration.Name, declaration.PipelineType, declaration.ExecutionMode));
        Assert.Equal("arn:aws:iam::111122223333:role/pipeline", declaration.RoleArn);
        Assert.Equal(new ArtifactStore { Type = "S3", Location = "acme-artifacts" }, declaration.ArtifactStore);
        Assert.Equal(["Source", "staging", "production"], declaration.Stages.Select(s => s.Name));

        var source = declaration.Stages[0].Actions.Single();
        Assert.Equal(new ActionTypeId { Category = "Source", Owner = "AWS", Provider = "CodeStarSourceConnection", Version = "1" }, source.ActionTypeId);
        Assert.Equal(
            [
                ("BranchName", "main"),
                ("ConnectionArn", "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc"),
                ("FullRepositoryId", "acme/app"),
                ("OutputArtifactFormat", "CODE_ZIP"),
            ],
            source.Configuration!.Select(c => (c.Key, c.Value)));
        Assert.Equal("SourceOutput", source.OutputArtifacts!.Single().Name);

        var staging = declaration.Stages[1].Actions.Single();
        Assert.Equal(("Build", "CodeBuild", 1), (staging.ActionTypeId.Category, staging.ActionTypeId.Provider, staging.RunOrder));
        Assert.Equal("app-staging", staging.Configuration!["ProjectName"]);
        Assert.Equal("SourceOutput", staging.InputArtifacts!.Single().Name);

        var production = declaration.Stages[2].Actions;
        Assert.Equal(("Approval", "Manual", 1), (production[0].ActionTypeId.Category, production[0].ActionTypeId.Provider, production[0].RunOrder));
        Assert.Equal(("Build", "app-production", 2), (production[1].ActionTypeId.Category, production[1].Configuration!["ProjectName"], production[1].RunOrder));

        var trigger = declaration.Triggers!.Single();
        Assert.Equal(("CodeStarSourceConnection", "Source"), (trigger.ProviderType, trigger.GitConfiguration.SourceActionName));
        Assert.Equal(["main"], trigger.GitConfiguration.Push![0].Branches!.Includes!);
        Assert.Equal(["production"], trigger.GitConfiguration.Push![1].Tags!.Includes!);
        Assert.Null(trigger.GitConfiguration.PullRequest);
        Assert.Equal(state.Projects[0].Project.Tags, pipeline.Tags);
    }

    [Fact]
    public void A_tag_only_pipeline_releases_from_the_pull_request_base_branch_and_triggers_on_tags_only()
    {
        var doc = Specs.Document([Specs.PullRequest("preview", baseBranch: "trunk"), Specs.Tag("production")], pipeline: true);
        var declaration = PipelineRenderer.Render(doc).Pipeline!.Declaration;

        Assert.Equal("trunk", declaration.Stages[0].Actions[0].Configuration!["BranchName"]);
        var push = declaration.Triggers!.Single().GitConfiguration.Push!.Single();
        Assert.Null(push.Branches);
        Assert.Equal(["production"], push.Tags!.Includes!);
    }

    [Theory]
    [InlineData("https://github.com/acme/website.git", "acme/website")]
    [InlineData("https://github.com/acme/website", "acme/website")]
    [InlineData("https://gitlab.com/acme/platform/website.git/", "acme/platform/website")]
    [InlineData("git@github.com:acme/website.git", "acme/website")]
    [InlineData("https://bitbucket.org/acme/website.git", "acme/website")]
    public void The_repository_id_is_parsed_from_the_clone_url(string location, string expected) =>
        Assert.Equal(expected, CodePipelineRenderer.FullRepositoryId(location));

    private static List<(string Type, string Pattern)> Filters(DesiredProject project) =>
        project.Webhook!.FilterGroups!.Single().Select(f => (f.Type, f.Pattern)).ToList();

    internal static YamlMappingNode Parse(string buildspec)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(buildspec));
        return (YamlMappingNode)stream.Documents.Single().RootNode;
    }

    /// <summary>The buildspec's commands in run order, as a YAML reader sees them.</summary>
    internal static List<string> Commands(string buildspec)
    {
        var phases = (YamlMappingNode)Parse(buildspec).Children[new YamlScalarNode("phases")];
        return phases.Children
            .SelectMany(phase => ((YamlSequenceNode)((YamlMappingNode)phase.Value).Children[new YamlScalarNode("commands")]).Children)
            .Select(c => ((YamlScalarNode)c).Value!)
            .ToList();
    }
}
