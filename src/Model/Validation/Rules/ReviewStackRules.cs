using System.Text.RegularExpressions;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.stages[].reviewStack: only on pull-request stages that deploy, with a full base stack, a prefix that keeps every review stack name valid, and a provider that signals a pull request's end.</summary>
internal static partial class ReviewStackRules
{
    /// <summary>The longest Pulumi stack name (the part after org/project/).</summary>
    public const int StackNameMaxLength = 100;

    /// <summary>Digits kept for the pull-request number: GitHub's, GitLab's and Bitbucket's are 32-bit, so at most 10 digits.</summary>
    public const int PullRequestNumberMaxDigits = 10;

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex FullStackReference();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex StackNameCharacters();

    public static void Check(RuleContext context, PipelineSpec spec)
    {
        var stages = spec.Stages ?? [];
        for (var i = 0; i < stages.Count; i++)
        {
            if (stages[i] is not { ReviewStack: { } review } stage)
            {
                continue;
            }
            var path = JsonPath.Item("$.spec.stages", i);
            var reviewPath = JsonPath.Field(path, "reviewStack");
            if (stage.On?.PullRequest is null)
            {
                context.Add(reviewPath, "a review stack belongs to a pull request; only a stage triggered by pullRequest can have one");
                continue;
            }
            if (stage.Operation != StageOperations.Up)
            {
                context.Add(JsonPath.Field(path, "operation"),
                    $"a review-stack stage deploys each pull request's stack; set operation to \"up\" (found {Quoted.Text(stage.Operation)})");
            }
            if (!string.IsNullOrEmpty(stage.Stack) && !FullStackReference().IsMatch(stage.Stack))
            {
                context.Add(JsonPath.Field(path, "stack"),
                    $"{Quoted.Text(stage.Stack)} is not a full stack reference; a review-stack stage names its base stack as \"org/project/stack\": review stacks are created as <org>/<project>/<prefix><number> with its configuration");
            }
            CheckPrefix(context, JsonPath.Field(reviewPath, "prefix"), review.Prefix);
            var sourceType = spec.Source?.Type ?? "";
            if (SourceRules.Types.Contains(sourceType, StringComparer.Ordinal) && SourceProviders.EndEvents(sourceType).Count == 0)
            {
                context.Add(reviewPath,
                    $"source type {sourceType} cannot signal that a pull request was merged or closed, so a review stack would never be destroyed; use a preview stage instead");
            }
        }
    }

    private static void CheckPrefix(RuleContext context, string path, string prefix)
    {
        var longest = StackNameMaxLength - PullRequestNumberMaxDigits;
        if (prefix.Length == 0 || !StackNameCharacters().IsMatch(prefix) || prefix.Length > longest)
        {
            var problem = prefix.Length == 0 ? "it is empty"
                : prefix.Length > longest ? $"it is {prefix.Length} characters long, and with a pull-request number of up to {PullRequestNumberMaxDigits} digits the stack name would pass Pulumi's {StackNameMaxLength}"
                : "it has characters a Pulumi stack name cannot hold";
            context.Add(path,
                $"{Quoted.Text(prefix)} is not a review stack prefix: {problem}; use 1-{longest} of A-Z, a-z, 0-9, \"_\", \".\" and \"-\", such as \"pr-\"");
        }
    }
}
