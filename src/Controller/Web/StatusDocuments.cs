using System.Text.Json.Serialization;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Web;

/// <summary>One spec as the status list shows it: phase, readiness, drift, last apply, next resync.</summary>
public sealed record SpecSummary(
    string Name,
    IReadOnlyDictionary<string, string> Labels,
    long Generation,
    long ObservedGeneration,
    string Phase,
    bool Ready,
    bool Drifted,
    bool Deleting,
    string? Reason,
    string? Message,
    int Resources,
    ApplyRecord? LastApply,
    DateTimeOffset? NextResyncTime,
    DateTimeOffset? NextRetryTime);

/// <summary>One page of the filtered, name-ordered list; <see cref="Phases"/> counts every spec in the cache, unfiltered.</summary>
public sealed record SpecPage(int Total, int Matched, int Offset, int Limit, IReadOnlyList<SpecSummary> Items, IReadOnlyDictionary<string, int> Phases, int DriftedCount);

/// <summary>A condition as it changed over time (kept in memory by this replica since it started).</summary>
public sealed record ConditionChange(DateTimeOffset ObservedAt, string Type, string Status, string Reason, string Message, long ObservedGeneration);

/// <summary>Everything the page of one spec shows.</summary>
public sealed record SpecDetail(
    SpecSummary Summary,
    IReadOnlyDictionary<string, string> Annotations,
    IReadOnlyList<Condition> Conditions,
    IReadOnlyList<ResourceStatus> Resources,
    IReadOnlyList<ConditionChange> History,
    IReadOnlyList<ConditionChange> LastErrors,
    string? TraceId,
    string? TraceUrl,
    string DriftPolicy,
    string DeletionPolicy,
    IReadOnlyList<string> Stages);

/// <summary>The controller's own state: what this replica holds and how busy it is.</summary>
public sealed record ControllerState(
    string Engine,
    bool CacheSynced,
    int Specs,
    int Workers,
    int WorkersBusy,
    int QueueDepth,
    int QueueDelayed,
    IReadOnlyList<int>? ShardsHeld,
    int? ShardCount,
    string? Replica,
    IReadOnlyDictionary<string, long> AwsThrottles,
    IReadOnlyDictionary<string, string> Breakers,
    DateTimeOffset Now);

/// <summary>Source-generated JSON for the status API (camelCase, as the page reads it).</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(SpecPage))]
[JsonSerializable(typeof(SpecDetail))]
[JsonSerializable(typeof(ControllerState))]
[JsonSerializable(typeof(StatusError))]
public sealed partial class StatusJsonContext : JsonSerializerContext;

/// <summary>An API error: what was wrong with the request.</summary>
public sealed record StatusError(string Error);
