using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.pipeline: what an enabled CodePipeline V2 pipeline needs (role, artifact bucket, connection, a stage to run).</summary>
internal static class PipelineRules
{
    private const string PipelinePath = "$.spec.pipeline";

    public static void Check(RuleContext context, PipelineSpec spec)
    {
        var pipeline = spec.Pipeline;
        var enabled = pipeline?.Enabled == true;
        var rolePath = JsonPath.Field(PipelinePath, "roleArn");
        var bucketPath = JsonPath.Field(PipelinePath, "artifactBucket");
        if (enabled || !string.IsNullOrEmpty(pipeline?.RoleArn))
        {
            ArnRules.CheckRole(context, rolePath, pipeline?.RoleArn, "CodePipeline");
        }
        if (!string.IsNullOrEmpty(pipeline?.ArtifactBucket))
        {
            S3BucketRules.Check(context, bucketPath, pipeline.ArtifactBucket);
        }
        else if (enabled)
        {
            context.Add(bucketPath, "required when the pipeline is enabled: the S3 bucket CodePipeline keeps its artifacts in");
        }
        if (!enabled)
        {
            return;
        }
        if (string.IsNullOrEmpty(spec.Source?.ConnectionArn))
        {
            context.Add("$.spec.source.connectionArn",
                "required when the pipeline is enabled: the CodeStar/CodeConnections connection ARN its source action uses");
        }
        if (spec.Stages is { Count: > 0 } stages && !stages.Any(s => s?.On?.Push is not null || s?.On?.Tag is not null))
        {
            context.Add(JsonPath.Field(PipelinePath, "enabled"),
                "the pipeline would have no stage to run: only push and tag stages run in it; add one or set enabled to false");
        }
        // The pipeline's trigger includes each push branch and each tag once; CodePipeline takes at most
        // 8 patterns of each kind in a trigger filter.
        CheckTriggerPatterns(context, spec, s => s?.On?.Push?.Branch, "branches of push stages");
        CheckTriggerPatterns(context, spec, s => s?.On?.Tag, "tags of tag stages");
    }

    private static void CheckTriggerPatterns(RuleContext context, PipelineSpec spec, Func<StageSpec?, string?> pattern, string what)
    {
        var distinct = (spec.Stages ?? []).Select(pattern).Where(p => !string.IsNullOrEmpty(p)).Distinct(StringComparer.Ordinal).Count();
        if (distinct > AwsApiLimits.CodePipeline.GitPatternsMaxCount)
        {
            context.Add("$.spec.stages",
                $"{distinct} different {what} run in the pipeline; its git trigger takes at most {AwsApiLimits.CodePipeline.GitPatternsMaxCount}, " +
                "so use fewer, or run some of these stages outside the pipeline");
        }
    }
}
