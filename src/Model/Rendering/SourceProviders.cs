namespace Reconciler.Model.Rendering;

/// <summary>
/// The pull-request webhook events CodeBuild accepts per source provider (CodeBuild user guide, "GitHub / GitLab /
/// Bitbucket webhook events"): Bitbucket has no PULL_REQUEST_REOPENED; every provider signals a merge and a close.
/// </summary>
public static class SourceProviders
{
    public const string Merged = "PULL_REQUEST_MERGED";
    public const string Closed = "PULL_REQUEST_CLOSED";

    private static readonly IReadOnlyList<string> WithReopen = ["PULL_REQUEST_CREATED", "PULL_REQUEST_UPDATED", "PULL_REQUEST_REOPENED"];
    private static readonly IReadOnlyList<string> WithoutReopen = ["PULL_REQUEST_CREATED", "PULL_REQUEST_UPDATED"];
    private static readonly IReadOnlyList<string> MergeAndClose = [Merged, Closed];

    /// <summary>The events that mean "a pull request is open with this code": opened, new commits, reopened where the provider has it.</summary>
    public static IReadOnlyList<string> OpenEvents(string sourceType) => sourceType == "BITBUCKET" ? WithoutReopen : WithReopen;

    /// <summary>The events that mean "the pull request is over" (merged or closed without merging); empty for a provider that cannot signal it.</summary>
    public static IReadOnlyList<string> EndEvents(string sourceType) => sourceType switch
    {
        "GITHUB" or "GITHUB_ENTERPRISE" or "GITLAB" or "GITLAB_SELF_MANAGED" or "BITBUCKET" => MergeAndClose,
        _ => [],
    };
}
