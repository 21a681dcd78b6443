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
    }
}
