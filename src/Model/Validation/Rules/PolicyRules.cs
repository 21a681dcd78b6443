using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.driftPolicy, spec.deletionPolicy and spec.engine.</summary>
internal static class PolicyRules
{
    public static void Check(RuleContext context, PipelineSpec spec)
    {
        if (!DriftPolicies.All.Contains(spec.DriftPolicy ?? "", StringComparer.Ordinal))
        {
            context.Add("$.spec.driftPolicy",
                $"unknown drift policy {Quoted.Text(spec.DriftPolicy)}; allowed: Correct (put drifted resources back) or Detect (only report drift)");
        }
        if (!DeletionPolicies.All.Contains(spec.DeletionPolicy ?? "", StringComparer.Ordinal))
        {
            context.Add("$.spec.deletionPolicy",
                $"unknown deletion policy {Quoted.Text(spec.DeletionPolicy)}; allowed: Delete (remove the AWS resources with the document) or Retain (leave them)");
        }
        if (spec.Engine is { } engine && !SpecEngines.All.Contains(engine, StringComparer.Ordinal))
        {
            context.Add("$.spec.engine",
                $"unknown engine {Quoted.Text(engine)}; allowed: direct (API calls) or pulumi (a Pulumi stack per spec), or leave it out for the controller's --engine");
        }
    }
}
