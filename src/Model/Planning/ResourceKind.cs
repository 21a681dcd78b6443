namespace Reconciler.Model.Planning;

/// <summary>The kinds of AWS resource a spec owns.</summary>
public enum ResourceKind
{
    CodeBuildProject,
    CodeBuildWebhook,
    CodePipeline,
}
