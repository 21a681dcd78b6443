using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>Two specs whose <c>&lt;spec&gt;-&lt;stage&gt;</c> project names meet are found, naming both.</summary>
public class DerivedNameCollisionTests
{
    private static PulumiPipeline Spec(string name, params string[] stages) =>
        Specs.Document([.. stages.Select(s => Specs.Push(s))]) with { Metadata = new ObjectMeta { Name = name } };

    [Fact]
    public void A_stored_spec_and_an_applied_one_that_derive_the_same_project_name_collide()
    {
        var collisions = DerivedNameCollision.Find([Spec("web-prod", "preview", "deploy")], [Spec("web", "prod-deploy")]);

        var collision = Assert.Single(collisions);
        Assert.Equal(new DerivedNameCollision("web-prod-deploy", "web-prod", "deploy", 1, "web", "prod-deploy"), collision);
        Assert.StartsWith("CodeBuild project name \"web-prod-deploy\" (spec web-prod, stage deploy) is also derived by spec web (stage prod-deploy)", collision.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_specs_applied_together_collide_and_the_second_is_named()
    {
        var collision = Assert.Single(DerivedNameCollision.Find([Spec("web", "prod-deploy"), Spec("web-prod", "deploy")], []));

        Assert.Equal(("web-prod", "web"), (collision.Spec, collision.OtherSpec));
    }

    [Fact]
    public void A_spec_reapplied_over_its_stored_version_does_not_collide_with_itself()
    {
        Assert.Empty(DerivedNameCollision.Find([Spec("web", "prod-deploy", "qa")], [Spec("web", "prod-deploy"), Spec("blog", "deploy")]));
    }

    [Fact]
    public void The_stored_version_of_a_reapplied_spec_is_replaced_so_a_renamed_stage_frees_its_name()
    {
        Assert.Empty(DerivedNameCollision.Find([Spec("web", "qa"), Spec("web-prod", "deploy")], [Spec("web", "prod-deploy")]));
    }
}
