using System.Text.Json.Nodes;
using Reconciler.Model.Aws;

namespace Reconciler.LocalCloud.State;

/// <summary>A pipeline as LocalCloud keeps it: its declaration in wire form (with <c>version</c>), its timestamps (epoch seconds) and tags.</summary>
public sealed record StoredPipeline(JsonObject Declaration, double Created, double Updated, IReadOnlyList<AwsTag> Tags)
{
    public string Name => (string)Declaration["name"]!;

    public int Version => (int)Declaration["version"]!;
}
