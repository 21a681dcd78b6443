using System.Text.Json;
using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Telemetry;

/// <summary>The OpenTelemetry resource attributes of the ECS task and container, read from the task metadata endpoint (v4).</summary>
public static class EcsResourceAttributes
{
    /// <summary>
    /// Reads <c>$ECS_CONTAINER_METADATA_URI_V4</c> (the container) and <c>…/task</c> (the task); empty when the variable is
    /// absent or the endpoint does not answer, so a process off ECS, or on a misbehaving endpoint, still starts.
    /// </summary>
    public static async Task<IReadOnlyDictionary<string, object>> ReadAsync(HttpClient http, Func<string, string?> environment, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, object>(StringComparer.Ordinal);
        if (environment(ReplicaIdentity.MetadataVariable) is not { Length: > 0 } endpoint)
        {
            return attributes;
        }
        var root = endpoint.TrimEnd('/');
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(TimeSpan.FromSeconds(5));
        if (await ReadJsonAsync(http, root, timeout.Token) is { } container)
        {
            Copy(container, "DockerId", "container.id", attributes);
            Copy(container, "Name", "container.name", attributes);
            Copy(container, "ContainerARN", "aws.ecs.container.arn", attributes);
            Copy(container, "Image", "container.image.name", attributes);
        }
        if (await ReadJsonAsync(http, root + "/task", timeout.Token) is { } task)
        {
            attributes["cloud.provider"] = "aws";
            attributes["cloud.platform"] = "aws_ecs";
            Copy(task, "TaskARN", "aws.ecs.task.arn", attributes);
            Copy(task, "Cluster", "aws.ecs.cluster.arn", attributes);
            Copy(task, "Family", "aws.ecs.task.family", attributes);
            Copy(task, "Revision", "aws.ecs.task.revision", attributes);
            Copy(task, "LaunchType", "aws.ecs.launchtype", attributes);
            Copy(task, "AvailabilityZone", "cloud.availability_zone", attributes);
            if (attributes.TryGetValue("aws.ecs.task.arn", out var arn) && arn is string text && text.Split(':') is { Length: > 4 } parts)
            {
                attributes["cloud.region"] = parts[3];
                attributes["cloud.account.id"] = parts[4];
            }
        }
        return attributes;
    }

    private static async Task<JsonElement?> ReadJsonAsync(HttpClient http, string url, CancellationToken cancellationToken)
    {
        try
        {
            await using var body = await http.GetStreamAsync(new Uri(url), cancellationToken);
            using var document = await JsonDocument.ParseAsync(body, cancellationToken: cancellationToken);
            return document.RootElement.ValueKind == JsonValueKind.Object ? document.RootElement.Clone() : null;
        }
        catch (Exception ex) when (ex is HttpRequestException or JsonException or TaskCanceledException or UriFormatException)
        {
            return null;
        }
    }

    private static void Copy(JsonElement from, string property, string attribute, Dictionary<string, object> to)
    {
        if (from.TryGetProperty(property, out var value) && value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } text)
        {
            to[attribute] = text;
        }
    }
}
