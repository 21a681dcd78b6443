using Reconciler.Model.Aws;
using Reconciler.Model.Planning;
using static Reconciler.Model.Tests.Planning.PlanningFixtures;

namespace Reconciler.Model.Tests.Planning;

public class ResourceDiffTests
{
    [Fact]
    public void A_live_project_with_everything_the_service_fills_in_has_no_delta()
    {
        var desired = Project("staging");

        Assert.Empty(ResourceDiff.Project(desired, AsLive(desired, Webhook("staging"))));
    }

    [Fact]
    public void A_changed_scalar_is_one_delta_with_its_path_and_both_json_values()
    {
        var desired = Project("staging", computeType: "BUILD_GENERAL1_MEDIUM");
        var live = AsLive(Project("staging"));

        var delta = Assert.Single(ResourceDiff.Project(desired, live));

        Assert.Equal(new FieldDelta("environment.computeType", "\"BUILD_GENERAL1_SMALL\"", "\"BUILD_GENERAL1_MEDIUM\""), delta);
        Assert.Equal("environment.computeType: \"BUILD_GENERAL1_SMALL\" → \"BUILD_GENERAL1_MEDIUM\"", delta.ToString());
    }

    [Fact]
    public void A_desired_member_the_live_side_lacks_is_a_delta_from_none()
    {
        var desired = Project("staging");
        var live = AsLive(desired) with { TimeoutInMinutes = null };

        var delta = Assert.Single(ResourceDiff.Project(desired, live));

        Assert.Equal(new FieldDelta("timeoutInMinutes", null, "60"), delta);
        Assert.Equal("timeoutInMinutes: (none) → 60", delta.ToString());
    }

    [Fact]
    public void Environment_variables_compare_as_a_map_so_their_order_does_not_matter()
    {
        var desired = Project("staging");
        var live = AsLive(desired);
        live = live with { Environment = live.Environment with { EnvironmentVariables = live.Environment.EnvironmentVariables!.Reverse().ToList() } };

        Assert.Empty(ResourceDiff.Project(desired, live));
    }

    [Fact]
    public void An_environment_variable_changed_added_or_removed_out_of_band_is_named_by_its_key()
    {
        var desired = Project("staging");
        var live = AsLive(desired);
        live = live with
        {
            Environment = live.Environment with
            {
                EnvironmentVariables =
                [
                    new BuildEnvironmentVariable { Name = "AWS_REGION", Value = "eu-west-1", Type = "PLAINTEXT" },
                    new BuildEnvironmentVariable { Name = "DEBUG", Value = "1", Type = "PLAINTEXT" },
                ],
            },
        };

        var deltas = ResourceDiff.Project(desired, live);

        Assert.Equal(new FieldDelta("environment.environmentVariables[AWS_REGION].value", "\"eu-west-1\"", "\"us-east-1\""), deltas[0]);
        Assert.Equal(new FieldDelta("environment.environmentVariables[PULUMI_ACCESS_TOKEN]", null,
            "{\"name\":\"PULUMI_ACCESS_TOKEN\",\"value\":\"/pulumi/access-token\",\"type\":\"PARAMETER_STORE\"}"), deltas[1]);
        Assert.Equal(new FieldDelta("environment.environmentVariables[DEBUG]",
            "{\"name\":\"DEBUG\",\"value\":\"1\",\"type\":\"PLAINTEXT\"}", null), deltas[2]);
        Assert.Equal(3, deltas.Count);
    }

    [Fact]
    public void Tags_compare_as_a_map_by_key_and_ignore_the_services_own_aws_prefixed_tags()
    {
        var desired = Project("staging");
        var live = AsLive(desired);
        live = live with
        {
            Tags = [new AwsTag { Key = "aws:created-by", Value = "console" }, .. live.Tags!.Reverse()],
        };

        Assert.Empty(ResourceDiff.Project(desired, live));
    }

    [Fact]
    public void A_tag_changed_added_or_removed_reports_the_value_under_its_key()
    {
        var desired = Project("staging");
        var live = AsLive(desired);
        live = live with
        {
            Tags =
            [
                .. live.Tags!.Where(t => t.Key != "cost-center" && t.Key != OwnershipTags.Uid),
                new AwsTag { Key = "cost-center", Value = "ops" },
                new AwsTag { Key = "owner", Value = "bob" },
            ],
        };

        var deltas = ResourceDiff.Project(desired, live);

        Assert.Equal(
            [
                new FieldDelta("tags[reconciler.io/uid]", null, "\"uid-1\""),
                new FieldDelta("tags[cost-center]", "\"ops\"", "\"web\""),
                new FieldDelta("tags[owner]", "\"bob\"", null),
            ],
            deltas);
    }

    [Fact]
    public void The_live_webhook_is_not_part_of_the_project_comparison()
    {
        var desired = Project("staging");
        var live = AsLive(desired, Webhook("staging", "^refs/heads/other$"));

        Assert.Empty(ResourceDiff.Project(desired, live));
    }

    [Fact]
    public void A_multi_line_buildspec_change_is_reported_as_json_strings_with_escaped_newlines()
    {
        var desired = Project("staging") with { Source = Project("staging").Source with { Buildspec = "version: 0.2\nphases: {}\n" } };
        var live = AsLive(Project("staging"));

        var delta = Assert.Single(ResourceDiff.Project(desired, live));

        Assert.Equal("source.buildspec", delta.Path);
        Assert.Equal("\"version: 0.2\\n\"", delta.Old);
    }

    [Fact]
    public void Webhook_filter_groups_compare_as_sets_of_sets_in_any_order()
    {
        var desired = Webhook("staging");
        var groups = desired.FilterGroups!;
        var live = AsLive(Project("staging"), desired with
        {
            FilterGroups = groups.Reverse().Select(g => (IReadOnlyList<WebhookFilter>)g.Reverse().Select(f => f with { ExcludeMatchedPattern = false }).ToList()).ToList(),
        }).Webhook!;

        Assert.Empty(ResourceDiff.Webhook(desired, live));
    }

    [Fact]
    public void A_changed_filter_group_is_one_removal_and_one_addition()
    {
        var desired = Webhook("staging");
        var live = AsLive(Project("staging"), Webhook("staging", "^refs/heads/develop$")).Webhook!;

        var deltas = ResourceDiff.Webhook(desired, live);

        Assert.Equal(4, deltas.Count);
        Assert.All(deltas, d => Assert.StartsWith("filterGroups[", d.Path, StringComparison.Ordinal));
        Assert.Equal(2, deltas.Count(d => d.Old is null && d.New!.Contains("^refs/heads/main$", StringComparison.Ordinal)));
        Assert.Equal(2, deltas.Count(d => d.New is null && d.Old!.Contains("^refs/heads/develop$", StringComparison.Ordinal)));
    }

    [Fact]
    public void A_filter_group_with_an_extra_filter_is_not_the_same_group()
    {
        var desired = Webhook("staging");
        var extra = desired.FilterGroups!.Select((g, i) => i == 0
            ? (IReadOnlyList<WebhookFilter>)[.. g, new WebhookFilter { Type = "ACTOR_ACCOUNT_ID", Pattern = "42" }]
            : g).ToList();
        var live = AsLive(Project("staging"), desired with { FilterGroups = extra }).Webhook!;

        var deltas = ResourceDiff.Webhook(desired, live);

        Assert.Equal(2, deltas.Count);
        Assert.Equal("filterGroups[0]", deltas[0].Path);
        Assert.Null(deltas[0].Old);
        Assert.Equal("[{\"type\":\"EVENT\",\"pattern\":\"PUSH\"},{\"type\":\"HEAD_REF\",\"pattern\":\"^refs/heads/main$\"}]", deltas[0].New);
        Assert.Equal("filterGroups[0]", deltas[1].Path);
        Assert.Contains("ACTOR_ACCOUNT_ID", deltas[1].Old, StringComparison.Ordinal);
    }

    [Fact]
    public void A_webhook_build_type_change_is_a_delta()
    {
        var desired = Webhook("staging") with { BuildType = "BUILD_BATCH" };
        var live = AsLive(Project("staging"), Webhook("staging")).Webhook!;

        Assert.Equal([new FieldDelta("buildType", "\"BUILD\"", "\"BUILD_BATCH\"")], ResourceDiff.Webhook(desired, live));
    }

    [Fact]
    public void A_pipeline_ignores_its_version_and_aws_tags()
    {
        var desired = Pipeline("staging", "production");

        Assert.Empty(ResourceDiff.Pipeline(desired, AsLive(desired, version: 7)));
    }

    [Fact]
    public void Pipeline_stages_compare_in_order_so_a_swap_is_a_difference()
    {
        var desired = Pipeline("staging", "production");
        var live = AsLive(Pipeline("production", "staging"));

        var deltas = ResourceDiff.Pipeline(desired, live);

        Assert.Contains(new FieldDelta("stages[1].name", "\"production\"", "\"staging\""), deltas);
        Assert.Contains(new FieldDelta("stages[2].actions[0].configuration.ProjectName", "\"website-staging\"", "\"website-production\""), deltas);
    }

    [Fact]
    public void A_stage_removed_out_of_band_is_a_delta_from_the_stage_to_none_and_back()
    {
        var desired = Pipeline("staging", "production");
        var live = AsLive(Pipeline("staging"));

        var delta = Assert.Single(ResourceDiff.Pipeline(desired, live));
        Assert.Equal("stages[2]", delta.Path);
        Assert.Null(delta.Old);
        Assert.Contains("website-production", delta.New, StringComparison.Ordinal);

        var extra = Assert.Single(ResourceDiff.Pipeline(Pipeline("staging"), AsLive(desired)));
        Assert.Equal("stages[2]", extra.Path);
        Assert.Null(extra.New);
    }

    [Fact]
    public void Pipeline_tags_compare_as_a_map()
    {
        var desired = Pipeline("staging");
        var live = AsLive(desired) with { Tags = [.. desired.Tags.Where(t => t.Key != "cost-center")] };

        Assert.Equal([new FieldDelta("tags[cost-center]", null, "\"web\"")], ResourceDiff.Pipeline(desired, live));
    }
}
