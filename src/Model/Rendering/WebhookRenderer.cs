using System.Text;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Rendering;

/// <summary>Turns a stage's trigger into the CodeBuild webhook (CreateWebhook body) that starts its project.</summary>
public static class WebhookRenderer
{
    /// <summary>
    /// The webhook of a standalone project: one filter group that matches the trigger exactly; a review-stack stage
    /// has a second group for the pull request's end (merged or closed), which destroys its stack.
    /// </summary>
    public static WebhookRequest Render(string projectName, StageSpec stage, string sourceType) => new()
    {
        ProjectName = projectName,
        FilterGroups = stage.ReviewStack is not null && stage.On.PullRequest is { } pullRequest
            ? [FilterGroup(stage.On, sourceType), PullRequestGroup(SourceProviders.EndEvents(sourceType), pullRequest)]
            : [FilterGroup(stage.On, sourceType)],
        BuildType = "BUILD",
    };

    private static IReadOnlyList<WebhookFilter> PullRequestGroup(IReadOnlyList<string> events, PullRequestTrigger pullRequest) =>
    [
        new WebhookFilter { Type = "EVENT", Pattern = string.Join(',', events) },
        new WebhookFilter { Type = "BASE_REF", Pattern = RefPattern("refs/heads/", pullRequest.BaseBranch) },
    ];

    private static IReadOnlyList<WebhookFilter> FilterGroup(TriggerSpec trigger, string sourceType)
    {
        if (trigger.PullRequest is { } pullRequest)
        {
            return PullRequestGroup(SourceProviders.OpenEvents(sourceType), pullRequest);
        }
        if (trigger.Push is { } push)
        {
            return
            [
                new WebhookFilter { Type = "EVENT", Pattern = "PUSH" },
                new WebhookFilter { Type = "HEAD_REF", Pattern = RefPattern("refs/heads/", push.Branch) },
            ];
        }
        return
        [
            new WebhookFilter { Type = "EVENT", Pattern = "PUSH" },
            new WebhookFilter { Type = "HEAD_REF", Pattern = RefPattern("refs/tags/", trigger.Tag ?? "") },
        ];
    }

    /// <summary>An anchored regular expression that matches exactly one ref, e.g. <c>^refs/heads/release/1\.0$</c>.</summary>
    public static string RefPattern(string prefix, string name) => "^" + prefix + RegexEscape(name) + "$";

    // CodeBuild evaluates filter patterns as Java regular expressions. A backslash before any
    // punctuation is a literal in Java (and .NET), so escaping exactly the metacharacters keeps the
    // pattern readable (slashes and dashes stay as they are) and exact.
    private static string RegexEscape(string name)
    {
        var escaped = new StringBuilder(name.Length + 4);
        foreach (var c in name)
        {
            if (@"\.^$|?*+()[]{}".Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }
            escaped.Append(c);
        }
        return escaped.ToString();
    }
}
