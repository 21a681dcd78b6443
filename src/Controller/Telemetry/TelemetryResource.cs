using OpenTelemetry.Resources;

namespace Reconciler.Controller.Telemetry;

/// <summary>The OpenTelemetry resource every signal carries: service name and version, <c>OTEL_RESOURCE_ATTRIBUTES</c>, ECS task attributes.</summary>
public static class TelemetryResource
{
    public const string DefaultServiceName = "reconciler";
    public const string ServiceNameVariable = "OTEL_SERVICE_NAME";
    public const string AttributesVariable = "OTEL_RESOURCE_ATTRIBUTES";

    /// <summary>
    /// The attributes, later sources winning: ECS metadata, then <c>OTEL_RESOURCE_ATTRIBUTES</c>, then the service name
    /// (<c>OTEL_SERVICE_NAME</c>, else a <c>service.name</c> in the attributes, else <c>reconciler</c>).
    /// </summary>
    public static IReadOnlyDictionary<string, object> Attributes(Func<string, string?> environment, IReadOnlyDictionary<string, object>? ecs = null)
    {
        var attributes = new Dictionary<string, object>(ecs ?? new Dictionary<string, object>(), StringComparer.Ordinal);
        foreach (var (key, value) in ParseAttributes(environment(AttributesVariable)))
        {
            attributes[key] = value;
        }
        if (environment(ServiceNameVariable) is { Length: > 0 } name)
        {
            attributes["service.name"] = name;
        }
        else if (!attributes.ContainsKey("service.name"))
        {
            attributes["service.name"] = DefaultServiceName;
        }
        attributes.TryAdd("service.version", Cli.VersionInfoCommand.Version);
        attributes.TryAdd("service.instance.id", attributes.TryGetValue("aws.ecs.task.arn", out var task) ? task : $"{Environment.MachineName}-{Environment.ProcessId}");
        return attributes;
    }

    /// <summary>A resource builder holding exactly <paramref name="attributes"/>; the SDK's own detectors are not added, so the variables are read once, here.</summary>
    public static ResourceBuilder Builder(IReadOnlyDictionary<string, object> attributes) =>
        ResourceBuilder.CreateEmpty().AddAttributes(attributes);

    /// <summary><c>key1=value1,key2=value2</c> with percent-encoded values, as the OpenTelemetry specification writes them; malformed pairs are skipped.</summary>
    public static IEnumerable<KeyValuePair<string, string>> ParseAttributes(string? text)
    {
        foreach (var pair in (text ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                continue;
            }
            var key = pair[..equals].Trim();
            var value = Uri.UnescapeDataString(pair[(equals + 1)..].Trim());
            if (key.Length > 0)
            {
                yield return new KeyValuePair<string, string>(key, value);
            }
        }
    }
}
