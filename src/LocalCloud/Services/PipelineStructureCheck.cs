using System.Text.Json.Nodes;

namespace Reconciler.LocalCloud.Services;

/// <summary>The structural rules CodePipeline enforces on a declaration beyond the model (answered as InvalidStructureException).</summary>
internal static class PipelineStructureCheck
{
    /// <summary>Every structural problem of a declaration; empty when it is sound.</summary>
    public static IReadOnlyList<string> Problems(JsonObject pipeline)
    {
        var problems = new List<string>();
        var hasStore = pipeline["artifactStore"] is not null;
        var hasStores = pipeline["artifactStores"] is JsonObject stores && stores.Count > 0;
        if (hasStore == hasStores)
        {
            problems.Add("a pipeline needs exactly one of artifactStore or artifactStores");
        }
        var stages = pipeline["stages"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        if (stages.Count < 2)
        {
            problems.Add($"a pipeline must contain at least two stages, found {stages.Count}");
        }
        foreach (var duplicate in stages.GroupBy(s => (string?)s["name"], StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"stage name '{duplicate.Key}' is used more than once");
        }
        var outputs = new HashSet<string>(StringComparer.Ordinal);
        var sourceActions = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var s = 0; s < stages.Count; s++)
        {
            CheckStage(stages[s], s == 0, outputs, sourceActions, problems);
        }
        CheckTriggers(pipeline, sourceActions, problems);
        return problems;
    }

    private static void CheckStage(JsonObject stage, bool first, HashSet<string> outputs, Dictionary<string, string> sourceActions, List<string> problems)
    {
        var stageName = (string?)stage["name"];
        var actions = stage["actions"]?.AsArray().OfType<JsonObject>().ToList() ?? [];
        if (actions.Count == 0)
        {
            problems.Add($"stage '{stageName}' has no actions");
        }
        foreach (var duplicate in actions.GroupBy(a => (string?)a["name"], StringComparer.Ordinal).Where(g => g.Count() > 1))
        {
            problems.Add($"action name '{duplicate.Key}' is used more than once in stage '{stageName}'");
        }
        // Actions of one stage run by runOrder; an input must come from an earlier stage or an earlier run order.
        foreach (var runGroup in actions.GroupBy(a => (int?)a["runOrder"] ?? 1).OrderBy(g => g.Key))
        {
            var produced = new List<string>();
            foreach (var action in runGroup)
            {
                var actionName = (string?)action["name"];
                var category = (string?)action["actionTypeId"]?["category"];
                if (first && category != "Source")
                {
                    problems.Add($"the first stage '{stageName}' may contain only source actions; action '{actionName}' is {category}");
                }
                if (!first && category == "Source")
                {
                    problems.Add($"source action '{actionName}' must be in the first stage, not in '{stageName}'");
                }
                var inputs = Names(action["inputArtifacts"]);
                var outputNames = Names(action["outputArtifacts"]);
                if (category == "Source")
                {
                    sourceActions[actionName ?? ""] = (string?)action["actionTypeId"]?["provider"] ?? "";
                    if (inputs.Count > 0)
                    {
                        problems.Add($"source action '{actionName}' cannot have input artifacts");
                    }
                    if (outputNames.Count == 0)
                    {
                        problems.Add($"source action '{actionName}' must have an output artifact");
                    }
                }
                foreach (var input in inputs.Where(i => !outputs.Contains(i)))
                {
                    problems.Add($"input artifact '{input}' of action '{actionName}' is not the output of an earlier action");
                }
                produced.AddRange(outputNames);
            }
            foreach (var output in produced)
            {
                if (!outputs.Add(output))
                {
                    problems.Add($"output artifact name '{output}' is used more than once");
                }
            }
        }
    }

    private static void CheckTriggers(JsonObject pipeline, Dictionary<string, string> sourceActions, List<string> problems)
    {
        if (pipeline["triggers"] is not JsonArray triggers || triggers.Count == 0)
        {
            return;
        }
        if ((string?)pipeline["pipelineType"] != "V2")
        {
            problems.Add("triggers are supported only by V2 pipelines");
        }
        foreach (var trigger in triggers.OfType<JsonObject>())
        {
            var source = (string?)trigger["gitConfiguration"]?["sourceActionName"];
            if (source is null || !sourceActions.TryGetValue(source, out var provider))
            {
                problems.Add($"trigger names source action '{source}', which is not a source action of the pipeline");
            }
            else if (provider != "CodeStarSourceConnection")
            {
                problems.Add($"trigger source action '{source}' uses provider {provider}; git triggers need CodeStarSourceConnection");
            }
        }
    }

    private static List<string> Names(JsonNode? artifacts) =>
        artifacts is JsonArray array ? array.Select(a => (string?)a?["name"] ?? "").ToList() : [];
}
