using Reconciler.Controller.Cli;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Tests.Cli;

public class DiffReportTests
{
    [Fact]
    public void Each_resource_gets_a_header_with_its_state_and_its_changed_fields_below()
    {
        var plan = new Plan(
            [
                new PlanStep(ResourceKind.CodeBuildProject, "website-canary", StepAction.Create, []),
                new PlanStep(ResourceKind.CodeBuildProject, "website-staging", StepAction.Update,
                    [new FieldDelta("environment.computeType", "\"BUILD_GENERAL1_SMALL\"", "\"BUILD_GENERAL1_MEDIUM\""), new FieldDelta("tags[owner]", "\"bob\"", null)]),
                new PlanStep(ResourceKind.CodePipeline, "website", StepAction.Delete, []),
            ],
            [new OwnershipConflict(ResourceKind.CodeBuildProject, "website-preview", "not managed by the reconciler")],
            [new ResourceRef(ResourceKind.CodeBuildWebhook, "website-staging")]);

        Assert.Equal(
            [
                "► CodeBuildProject/website-preview conflict: not owned by this spec (owner: not managed by the reconciler)",
                "► CodeBuildProject/website-canary missing",
                "► CodeBuildProject/website-staging drifted",
                "  environment.computeType: \"BUILD_GENERAL1_SMALL\" → \"BUILD_GENERAL1_MEDIUM\"",
                "  tags[owner]: \"bob\" → (none)",
                "► CodePipeline/website extra",
                "► CodeBuildWebhook/website-staging in sync",
            ],
            DiffReport.Lines(plan));
    }

    [Fact]
    public void A_long_value_is_cut_with_an_ellipsis()
    {
        var plan = new Plan([new PlanStep(ResourceKind.CodeBuildProject, "p", StepAction.Update, [new FieldDelta("source.buildspec", new string('a', 500), "\"x\"")])], [], []);

        var line = DiffReport.Lines(plan)[1];

        Assert.Equal($"  source.buildspec: {new string('a', DiffReport.MaxValueLength - 1)}… → \"x\"", line);
    }
}
