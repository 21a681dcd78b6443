using System.Text.Json.Nodes;

namespace Reconciler.LocalCloud.State;

/// <summary>Everything LocalCloud holds, as written to the state file and shown by <c>GET /_localcloud/state</c>.</summary>
/// <param name="Projects">CodeBuild projects in wire form (webhooks without secrets).</param>
/// <param name="Builds">CodeBuild builds in wire form.</param>
/// <param name="Secrets">Secrets Manager metadata; absent in state files written before LocalCloud served it.</param>
public sealed record CloudSnapshot(
    int FormatVersion,
    IReadOnlyList<JsonObject> Projects,
    IReadOnlyList<JsonObject> Builds,
    IReadOnlyList<StoredPipeline> Pipelines,
    IReadOnlyList<StoredParameter> Parameters,
    IReadOnlyList<StoredSecret>? Secrets = null)
{
    public const int CurrentFormatVersion = 1;

    public static CloudSnapshot Empty { get; } = new(CurrentFormatVersion, [], [], [], []);
}
