using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using static Reconciler.Model.Tests.Planning.PlanningFixtures;

namespace Reconciler.Model.Tests.Planning;

public class PlannerTests
{
    private static string Describe(PlanStep step) => $"{step.Action} {step.Kind}/{step.Name}";

    [Fact]
    public void Nothing_live_creates_every_project_then_every_webhook_then_the_pipeline()
    {
        var plan = Planner.Plan(Desired(withPipeline: true), LiveState.Empty, Owner, adopt: false);

        Assert.Equal(
            [
                "Create CodeBuildProject/website-preview",
                "Create CodeBuildProject/website-staging",
                "Create CodeBuildProject/website-production",
                "Create CodeBuildWebhook/website-preview",
                "Create CodePipeline/website",
            ],
            plan.Steps.Select(Describe));
        Assert.Empty(plan.Conflicts);
        Assert.Empty(plan.InSync);
        Assert.False(plan.IsEmpty);
        Assert.Equal(5, plan.Count(StepAction.Create));
    }

    [Fact]
    public void Live_equal_to_desired_is_an_empty_plan_listing_every_resource_in_sync()
    {
        var desired = Desired(withPipeline: true);

        var plan = Planner.Plan(desired, Live(desired), Owner, adopt: false);

        Assert.True(plan.IsEmpty);
        Assert.Equal(
            [
                "CodeBuildProject/website-preview",
                "CodeBuildWebhook/website-preview",
                "CodeBuildProject/website-staging",
                "CodeBuildProject/website-production",
                "CodePipeline/website",
            ],
            plan.InSync.Select(r => r.ToString()));
    }

    [Fact]
    public void A_drifted_project_is_one_update_step_carrying_its_deltas()
    {
        var desired = Desired();
        var live = Live(desired).WithProject(AsLive(Project("staging", "BUILD_GENERAL1_LARGE"), Webhook("staging")));

        var plan = Planner.Plan(desired, live, Owner, adopt: false);

        var step = Assert.Single(plan.Steps);
        Assert.Equal("Update CodeBuildProject/website-staging", Describe(step));
        Assert.Equal([new FieldDelta("environment.computeType", "\"BUILD_GENERAL1_LARGE\"", "\"BUILD_GENERAL1_SMALL\"")], step.Deltas);
        Assert.Equal(["CodeBuildProject/website-staging: environment.computeType"], plan.ChangedPaths());
    }

    [Fact]
    public void A_webhook_deleted_out_of_band_is_created_again_and_one_no_longer_desired_is_deleted()
    {
        var desired = Desired();
        var live = Live(desired)
            .WithProject(AsLive(Project("staging")))
            .WithProject(AsLive(Project("production"), Webhook("production", "^refs/tags/production$")));
        desired = desired with
        {
            Projects = desired.Projects.Select(p => p.Stage == "production" ? p with { Webhook = null } : p).ToList(),
        };

        var plan = Planner.Plan(desired, live, Owner, adopt: false);

        Assert.Equal(["Create CodeBuildWebhook/website-staging", "Delete CodeBuildWebhook/website-production"], plan.Steps.Select(Describe));
    }

    [Fact]
    public void A_drifted_webhook_is_an_update_of_the_webhook_alone()
    {
        var desired = Desired();
        var live = Live(desired).WithProject(AsLive(Project("staging"), Webhook("staging", "^refs/heads/develop$")));

        var step = Assert.Single(Planner.Plan(desired, live, Owner, adopt: false).Steps);

        Assert.Equal("Update CodeBuildWebhook/website-staging", Describe(step));
        Assert.NotEmpty(step.Deltas);
    }

    [Fact]
    public void A_live_project_we_do_not_own_is_a_conflict_and_neither_it_nor_its_webhook_is_touched()
    {
        var desired = Desired();
        var foreign = AsLive(Project("staging", "BUILD_GENERAL1_LARGE")) with { Tags = [new AwsTag { Key = "team", Value = "other" }] };
        var live = Live(desired).WithProject(foreign);

        var plan = Planner.Plan(desired, live, Owner, adopt: false);

        var conflict = Assert.Single(plan.Conflicts);
        Assert.Equal(new OwnershipConflict(ResourceKind.CodeBuildProject, "website-staging", "not managed by the reconciler"), conflict);
        Assert.DoesNotContain(plan.Steps, s => s.Name == "website-staging");
        Assert.False(plan.IsEmpty);
    }

    [Fact]
    public void A_resource_of_another_spec_or_of_an_earlier_incarnation_of_this_one_is_a_conflict()
    {
        var desired = Desired();
        var otherSpec = AsLive(Project("staging")) with { Tags = new OwnershipIdentity("blog", "uid-9").Tags };
        var earlierUid = AsLive(Project("preview")) with { Tags = new OwnershipIdentity("website", "uid-0").Tags };

        var plan = Planner.Plan(desired, Live(desired).WithProject(otherSpec).WithProject(earlierUid), Owner, adopt: false);

        Assert.Equal(
            [
                new OwnershipConflict(ResourceKind.CodeBuildProject, "website-preview", "spec website (uid uid-0)"),
                new OwnershipConflict(ResourceKind.CodeBuildProject, "website-staging", "spec blog (uid uid-9)"),
            ],
            plan.Conflicts);
    }

    [Fact]
    public void With_adoption_a_foreign_resource_is_updated_and_gets_our_ownership_tags()
    {
        var desired = Desired();
        var foreign = AsLive(Project("staging"), Webhook("staging")) with { Tags = [new AwsTag { Key = "cost-center", Value = "web" }] };

        var plan = Planner.Plan(desired, Live(desired).WithProject(foreign), Owner, adopt: true);

        Assert.Empty(plan.Conflicts);
        var step = Assert.Single(plan.Steps);
        Assert.Equal("Update CodeBuildProject/website-staging", Describe(step));
        Assert.Equal(
            ["tags[reconciler.io/managed-by]", "tags[reconciler.io/spec]", "tags[reconciler.io/uid]"],
            step.Deltas.Select(d => d.Path));
    }

    [Fact]
    public void Adoption_never_takes_a_resource_another_spec_owns_but_takes_one_an_earlier_document_of_this_name_left()
    {
        var desired = Desired(withPipeline: true);
        var otherSpec = AsLive(Project("staging"), Webhook("staging")) with { Tags = new OwnershipIdentity("blog", "uid-9").Tags };
        var earlierUid = AsLive(Project("preview"), Webhook("preview")) with { Tags = new OwnershipIdentity("website", "uid-0").Tags };
        var live = Live(desired).WithProject(otherSpec).WithProject(earlierUid);
        var pipeline = live.Pipelines.Single().Value;
        live = live with { Pipelines = new Dictionary<string, LivePipeline> { [pipeline.Declaration.Name] = pipeline with { Tags = new OwnershipIdentity("shop", "uid-7").Tags } } };

        var plan = Planner.Plan(desired, live, Owner, adopt: true);

        Assert.Equal(
            [
                new OwnershipConflict(ResourceKind.CodeBuildProject, "website-staging", "spec blog (uid uid-9)"),
                new OwnershipConflict(ResourceKind.CodePipeline, pipeline.Declaration.Name, "spec shop (uid uid-7)"),
            ],
            plan.Conflicts);
        Assert.Equal(["Update CodeBuildProject/website-preview"], plan.Steps.Select(Describe));
        Assert.False(Owner.MayChange(otherSpec.Tags, adopt: true));
        Assert.True(Owner.MayChange([new AwsTag { Key = "cost-center", Value = "web" }], adopt: true));
    }

    [Fact]
    public void A_project_we_own_that_is_no_longer_desired_is_deleted_last_and_a_foreign_one_is_left_alone()
    {
        var desired = Desired();
        var live = Live(desired)
            .WithProject(AsLive(Project("canary")))
            .WithProject(AsLive(Project("legacy")) with { Tags = [] });
        var withoutProduction = desired with { Projects = desired.Projects.Where(p => p.Stage != "production").ToList() };

        var plan = Planner.Plan(withoutProduction, live, Owner, adopt: false);

        Assert.Equal(["Delete CodeBuildProject/website-canary", "Delete CodeBuildProject/website-production"], plan.Steps.Select(Describe));
        Assert.Empty(plan.Conflicts);
    }

    [Fact]
    public void A_pipeline_we_do_not_own_is_a_conflict_and_one_we_own_but_no_longer_want_is_deleted_before_projects()
    {
        var withPipeline = Desired(withPipeline: true);
        var foreign = AsLive(withPipeline.Pipeline!) with { Tags = [] };

        var conflict = Planner.Plan(withPipeline, Live(withPipeline).WithPipeline(foreign), Owner, adopt: false);
        Assert.Equal([new OwnershipConflict(ResourceKind.CodePipeline, "website", "not managed by the reconciler")], conflict.Conflicts);
        Assert.Empty(conflict.Steps);

        var nothingWanted = new DesiredState { SpecName = "website" };
        var teardown = Planner.Plan(nothingWanted, Live(withPipeline), Owner, adopt: false);
        Assert.Equal(
            [
                "Delete CodePipeline/website",
                "Delete CodeBuildProject/website-preview",
                "Delete CodeBuildProject/website-production",
                "Delete CodeBuildProject/website-staging",
            ],
            teardown.Steps.Select(Describe));
    }

    [Fact]
    public void A_pipeline_tag_removed_out_of_band_is_an_update_with_a_tag_delta()
    {
        var desired = Desired(withPipeline: true);
        var live = AsLive(desired.Pipeline!) with { Tags = [.. desired.Pipeline!.Tags.Where(t => t.Key != "cost-center")] };

        var step = Assert.Single(Planner.Plan(desired, Live(desired).WithPipeline(live), Owner, adopt: false).Steps);

        Assert.Equal("Update CodePipeline/website", Describe(step));
        Assert.Equal([new FieldDelta("tags[cost-center]", null, "\"web\"")], step.Deltas);
    }

    [Fact]
    public void Release_strips_only_the_ownership_tags_of_resources_we_own()
    {
        var desired = Desired(withPipeline: true);
        var live = Live(desired).WithProject(AsLive(Project("legacy")) with { Tags = [] });

        var plan = Planner.Release(live, Owner);

        Assert.All(plan.Steps, s => Assert.Equal(StepAction.Release, s.Action));
        Assert.Equal(
            ["website-preview", "website-production", "website-staging", "website"],
            plan.Steps.Select(s => s.Name));
        Assert.Equal(
            [
                new FieldDelta("tags[reconciler.io/managed-by]", "\"reconciler\"", null),
                new FieldDelta("tags[reconciler.io/spec]", "\"website\"", null),
                new FieldDelta("tags[reconciler.io/uid]", "\"uid-1\"", null),
            ],
            plan.Steps[0].Deltas);
    }

    [Fact]
    public void Changed_paths_name_creates_and_deletes_by_resource()
    {
        var plan = new Plan(
            [
                new PlanStep(ResourceKind.CodeBuildProject, "a", StepAction.Create, []),
                new PlanStep(ResourceKind.CodePipeline, "p", StepAction.Update, [new FieldDelta("stages[1].name", "\"x\"", "\"y\"")]),
            ],
            [],
            []);

        Assert.Equal(["CodeBuildProject/a (create)", "CodePipeline/p: stages[1].name"], plan.ChangedPaths());
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("True", true)]
    [InlineData("false", false)]
    [InlineData(null, false)]
    public void Adoption_is_asked_by_an_explicit_annotation(string? value, bool expected)
    {
        var document = new PulumiPipeline
        {
            Metadata = new ObjectMeta
            {
                Name = "website",
                Annotations = value is null ? null : new Dictionary<string, string> { [OwnershipIdentity.AdoptAnnotation] = value },
            },
        };

        Assert.Equal(expected, OwnershipIdentity.WantsAdoption(document));
    }

    [Fact]
    public void Ownership_requires_all_three_tags_to_match()
    {
        Assert.True(Owner.Owns(Owner.Tags));
        Assert.False(Owner.Owns(null));
        Assert.False(Owner.Owns(Owner.Tags.Where(t => t.Key != OwnershipTags.ManagedBy).ToList()));
        Assert.False(Owner.Owns([.. Owner.Tags.Where(t => t.Key != OwnershipTags.ManagedBy), new AwsTag { Key = OwnershipTags.ManagedBy, Value = "terraform" }]));
    }
}
