using System.Text.Json.Nodes;

namespace Reconciler.LocalCloud.State;

/// <summary>The mutable collections behind <see cref="CloudState"/>; touched only under its lock.</summary>
internal sealed class CloudData
{
    public ProjectTable Projects { get; } = new();

    public Dictionary<string, JsonObject> Builds { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, StoredPipeline> Pipelines { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, StoredParameter> Parameters { get; } = new(StringComparer.Ordinal);

    public SortedDictionary<string, StoredSecret> Secrets { get; } = new(StringComparer.Ordinal);

    public void Clear()
    {
        Projects.Clear();
        Builds.Clear();
        Pipelines.Clear();
        Parameters.Clear();
        Secrets.Clear();
    }
}
