using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>The whole typed document: apiVersion, kind, metadata, then each spec section's rules in document order.</summary>
internal static class DocumentRules
{
    public static void Check(RuleContext context, PulumiPipeline document)
    {
        if (document.ApiVersion != PulumiPipeline.CurrentApiVersion)
        {
            context.Add("$.apiVersion",
                $"unsupported apiVersion {Quoted.Text(document.ApiVersion)}; expected \"{PulumiPipeline.CurrentApiVersion}\"");
        }
        if (document.Kind != PulumiPipeline.KindName)
        {
            context.Add("$.kind", $"unsupported kind {Quoted.Text(document.Kind)}; expected \"{PulumiPipeline.KindName}\"");
        }
        var name = document.Metadata?.Name ?? "";
        if (document.Metadata is null)
        {
            context.Add("$.metadata", "required: the metadata with the document's name");
        }
        else
        {
            NameRules.CheckName(context, "$.metadata.name", name, "the name");
        }
        if (document.Spec is not { } spec)
        {
            context.Add("$.spec", "required: the pipeline's spec (source, pulumi, build, stages)");
            return;
        }
        if (spec.Template is { } template)
        {
            context.Add("$.spec.template", $"the spec names template {Quoted.Text(template)}; its effective spec (TemplateMerge.Effective) is what is checked and rendered");
        }
        var pipelineEnabled = spec.Pipeline?.Enabled == true;
        var stageNames = spec.Stages?.Select(s => s?.Name ?? "").ToList() ?? [];
        NameRules.CheckDerivedNames(context, name, stageNames, pipelineEnabled);
        SourceRules.Check(context, spec.Source);
        PulumiRules.Check(context, spec.Pulumi);
        BuildRules.Check(context, spec.Build, document.Metadata?.Annotations);
        StageRules.Check(context, spec.Stages, pipelineEnabled);
        ReviewStackRules.Check(context, spec);
        PipelineRules.Check(context, spec);
        PolicyRules.Check(context, spec);
        TagRules.Check(context, spec.Tags);
    }
}
