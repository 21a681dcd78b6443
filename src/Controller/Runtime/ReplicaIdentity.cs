using System.Text.Json;

namespace Reconciler.Controller.Runtime;

/// <summary>Names this replica for its leases: the ECS task ARN when running on ECS, else host and process id.</summary>
public static class ReplicaIdentity
{
    public const string MetadataVariable = "ECS_CONTAINER_METADATA_URI_V4";

    /// <summary>Reads <c>$ECS_CONTAINER_METADATA_URI_V4/task</c> for its <c>TaskARN</c>; falls back to <c>host-pid</c> when absent or unreadable.</summary>
    public static async Task<string> ResolveAsync(HttpClient http, Func<string, string?>? environment = null, CancellationToken cancellationToken = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (environment(MetadataVariable) is { Length: > 0 } endpoint)
        {
            try
            {
                await using var body = await http.GetStreamAsync(new Uri($"{endpoint.TrimEnd('/')}/task"), cancellationToken);
                using var task = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
                if (task.RootElement.TryGetProperty("TaskARN", out var arn) && arn.GetString() is { Length: > 0 } taskArn)
                {
                    return taskArn;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException)
            {
                // Fall through to the host identity: a replica must be able to start even if the endpoint misbehaves.
            }
        }
        return Fallback();
    }

    /// <summary><c>host-pid</c>: unique among live processes on a network of distinct host names.</summary>
    public static string Fallback() => $"{Environment.MachineName}-{Environment.ProcessId}";
}
