using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.LocalCloud.State;

/// <summary>
/// Checks the fields of a build handed to the admin API before anything is stored: a field of the wrong type would
/// otherwise be kept and break every later read of that project's builds.
/// </summary>
internal static class SeededBuild
{
    /// <summary>CodeBuild's StatusType.</summary>
    private static readonly string[] Statuses = ["SUCCEEDED", "FAILED", "FAULT", "TIMED_OUT", "IN_PROGRESS", "STOPPED"];

    /// <summary>Every problem of one build, each as <c>$.builds[i].field: what is wrong</c>.</summary>
    public static IEnumerable<string> Problems(JsonObject build, string path)
    {
        if (String(build, "projectName", required: true) is { } problem)
        {
            yield return $"{path}.projectName: {problem}";
        }
        foreach (var field in new[] { "id", "currentPhase", "initiator", "sourceVersion" })
        {
            if (String(build, field, required: false) is { } fieldProblem)
            {
                yield return $"{path}.{field}: {fieldProblem}";
            }
        }
        if (String(build, "buildStatus", required: false) is { } statusProblem)
        {
            yield return $"{path}.buildStatus: {statusProblem}";
        }
        else if (build["buildStatus"] is JsonValue status && !Statuses.Contains((string)status!, StringComparer.Ordinal))
        {
            yield return $"{path}.buildStatus: {status.ToJsonString()} is not a CodeBuild build status ({string.Join(", ", Statuses)})";
        }
        if (Present(build, "buildNumber") is { } number && !(number is JsonValue value && value.GetValueKind() == JsonValueKind.Number && value.TryGetValue<long>(out var n) && n > 0))
        {
            yield return $"{path}.buildNumber: expected a whole number from 1";
        }
        if (Present(build, "buildComplete") is { } complete && complete.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
        {
            yield return $"{path}.buildComplete: expected true or false";
        }
        foreach (var field in new[] { "startTime", "endTime" })
        {
            if (Present(build, field) is { } time && time.GetValueKind() != JsonValueKind.Number)
            {
                yield return $"{path}.{field}: expected epoch seconds (a number)";
            }
        }
    }

    private static JsonNode? Present(JsonObject build, string field) => build.TryGetPropertyValue(field, out var value) ? value : null;

    private static string? String(JsonObject build, string field, bool required) => Present(build, field) switch
    {
        null when required => "required: a string",
        null => null,
        var value when value.GetValueKind() != JsonValueKind.String => "expected a string",
        var value when ((string)value!).Length == 0 => "expected a non-empty string",
        _ => null,
    };
}
