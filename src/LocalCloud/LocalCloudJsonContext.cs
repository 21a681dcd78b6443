using System.Text.Json.Serialization;
using Reconciler.LocalCloud.Faults;
using Reconciler.LocalCloud.Hosting;
using Reconciler.LocalCloud.State;

namespace Reconciler.LocalCloud;

/// <summary>Source-generated JSON metadata for LocalCloud's own documents: the state file and the admin API.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
    WriteIndented = true)]
[JsonSerializable(typeof(CloudSnapshot))]
[JsonSerializable(typeof(FaultSettings))]
[JsonSerializable(typeof(RequestCountsReport))]
internal sealed partial class LocalCloudJsonContext : JsonSerializerContext;
