using System.Text.RegularExpressions;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.stages: names, operations, stack references, exactly one trigger, and approvals.</summary>
internal static partial class StageRules
{
    private const string StagesPath = "$.spec.stages";

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+/[A-Za-z0-9_.\-]+)?\z", RegexOptions.CultureInvariant)]
    private static partial Regex StackReference();

    public static void Check(RuleContext context, IReadOnlyList<StageSpec?>? stages, bool pipelineEnabled)
    {
        if (stages is null || stages.Count == 0)
        {
            context.Add(StagesPath, "no stages; declare at least one stage (a name, a Pulumi stack, an operation and the git event that runs it)");
            return;
        }
        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < stages.Count; i++)
        {
            var path = JsonPath.Item(StagesPath, i);
            if (stages[i] is not { } stage)
            {
                context.Add(path, "a stage must be an object, not null");
                continue;
            }
            var namePath = JsonPath.Field(path, "name");
            NameRules.CheckName(context, namePath, stage.Name, "a stage name");
            if (!string.IsNullOrEmpty(stage.Name) && !firstByName.TryAdd(stage.Name, i))
            {
                context.Add(namePath,
                    $"duplicate stage name {Quoted.Text(stage.Name)} (also at {JsonPath.Item(StagesPath, firstByName[stage.Name])}); stage names must be unique");
            }
            CheckStack(context, JsonPath.Field(path, "stack"), stage.Stack);
            if (!StageOperations.All.Contains(stage.Operation, StringComparer.Ordinal))
            {
                context.Add(JsonPath.Field(path, "operation"),
                    $"unknown operation {Quoted.Text(stage.Operation)}; allowed: {Quoted.List(StageOperations.All)}");
            }
            CheckTrigger(context, JsonPath.Field(path, "on"), stage.On);
            CheckApproval(context, JsonPath.Field(path, "approval"), stage, pipelineEnabled);
            if (stage.Remove == true)
            {
                context.Add(JsonPath.Field(path, "remove"),
                    $"there is no inherited stage {Quoted.Text(stage.Name)} to remove: remove drops a stage of the spec's template; check the name or leave the stage out");
            }
        }
    }

    private static void CheckStack(RuleContext context, string path, string? stack)
    {
        if (string.IsNullOrEmpty(stack))
        {
            context.Add(path, "a Pulumi stack is required; use \"org/project/stack\" or \"stack\"");
        }
        else if (!StackReference().IsMatch(stack))
        {
            context.Add(path,
                $"{Quoted.Text(stack)} is not a Pulumi stack reference; use \"org/project/stack\" or \"stack\", each part made of A-Z, a-z, 0-9, \"_\", \".\" and \"-\"");
        }
    }

    private static void CheckTrigger(RuleContext context, string path, TriggerSpec? on)
    {
        var set = new List<string>();
        if (on?.PullRequest is not null)
        {
            set.Add("pullRequest");
        }
        if (on?.Push is not null)
        {
            set.Add("push");
        }
        if (on?.Tag is not null)
        {
            set.Add("tag");
        }
        if (set.Count != 1)
        {
            var found = set.Count == 0 ? "no trigger" : $"{set.Count} triggers ({Quoted.List(set)})";
            context.Add(path, $"{found}; set exactly one of pullRequest, push or tag");
        }
        if (on?.PullRequest is { } pullRequest)
        {
            GitRefRules.Check(context, JsonPath.Field(JsonPath.Field(path, "pullRequest"), "baseBranch"), pullRequest.BaseBranch, "branch");
        }
        if (on?.Push is { } push)
        {
            GitRefRules.Check(context, JsonPath.Field(JsonPath.Field(path, "push"), "branch"), push.Branch, "branch");
        }
        if (on?.Tag is { } tag)
        {
            GitRefRules.Check(context, JsonPath.Field(path, "tag"), tag, "tag");
        }
    }

    private static void CheckApproval(RuleContext context, string path, StageSpec stage, bool pipelineEnabled)
    {
        if (!stage.Approval)
        {
            return;
        }
        if (stage.On?.PullRequest is not null)
        {
            context.Add(path,
                "a pull-request stage cannot wait for approval: pull requests run as standalone CodeBuild projects, never inside the pipeline; remove approval");
        }
        else if (!pipelineEnabled)
        {
            context.Add(path,
                "approval needs the pipeline (spec.pipeline.enabled: true): CodeBuild alone cannot wait for a person; enable the pipeline or remove approval");
        }
    }
}
