using System.Text.Json.Serialization;

namespace Reconciler.Controller.Sync;

/// <summary>Source-generated JSON for the stored sync status and <c>sync status -o json</c>.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    WriteIndented = false)]
[JsonSerializable(typeof(SyncStatus))]
[JsonSerializable(typeof(List<SyncStatus>))]
public sealed partial class SyncJsonContext : JsonSerializerContext;
