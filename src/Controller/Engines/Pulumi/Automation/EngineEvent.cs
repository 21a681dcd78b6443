using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Reconciler.Controller.Engines.Pulumi.Automation;

// The engine event stream (`--event-log`, JSON Lines), as ../shared/pulumi-cli/events.md describes it: an envelope
// with a sequence number and a timestamp and exactly one payload. Only the payloads the Automation API maps are typed.

/// <summary>One engine event: its sequence number, Unix timestamp in seconds, and the one payload it carries.</summary>
public sealed record EngineEvent
{
    public int Sequence { get; init; }
    public long Timestamp { get; init; }
    public CancelEvent? CancelEvent { get; init; }
    public StdoutEngineEvent? StdoutEvent { get; init; }
    public DiagnosticEvent? DiagnosticEvent { get; init; }
    public PreludeEngineEvent? PreludeEvent { get; init; }
    public SummaryEvent? SummaryEvent { get; init; }
    public ResourcePreEvent? ResourcePreEvent { get; init; }

    [JsonPropertyName("resOutputsEvent")]
    public ResourceOutputsEvent? ResourceOutputsEvent { get; init; }

    [JsonPropertyName("resOpFailedEvent")]
    public ResourceOperationFailedEvent? ResourceOperationFailedEvent { get; init; }
}

/// <summary>The last event of a run.</summary>
public sealed record CancelEvent;

/// <summary>Text the CLI printed.</summary>
public sealed record StdoutEngineEvent(string Message, string Color);

/// <summary>A message about the run or one resource; severity <c>debug</c>, <c>info</c>, <c>info#err</c>, <c>warning</c> or <c>error</c>.</summary>
public sealed record DiagnosticEvent
{
    public string? Urn { get; init; }
    public string? Prefix { get; init; }
    public string Message { get; init; } = "";
    public string Color { get; init; } = "";
    public string Severity { get; init; } = "";
    public bool? Ephemeral { get; init; }
}

/// <summary>The stack's config at the start of a run (secrets as <c>[secret]</c>).</summary>
public sealed record PreludeEngineEvent(IReadOnlyDictionary<string, string>? Config);

/// <summary>The result and counts of a run.</summary>
public sealed record SummaryEvent
{
    public bool MaybeCorrupt { get; init; }
    public int DurationSeconds { get; init; }
    public IReadOnlyDictionary<string, int> ResourceChanges { get; init; } = new Dictionary<string, int>();
    public bool IsPreview { get; init; }

    /// <summary><c>succeeded</c>, <c>failed</c> or <c>canceled</c>.</summary>
    public string? Result { get; init; }
}

/// <summary>A resource step is about to run.</summary>
public sealed record ResourcePreEvent(StepEventMetadata Metadata, bool? Planning);

/// <summary>A resource step finished, with the resource's new state.</summary>
public sealed record ResourceOutputsEvent(StepEventMetadata Metadata, bool? Planning);

/// <summary>A resource step failed (the error is in a preceding diagnostic).</summary>
public sealed record ResourceOperationFailedEvent(StepEventMetadata Metadata, int Status, int Steps);

/// <summary>What a resource step does and to which resource.</summary>
public sealed record StepEventMetadata
{
    /// <summary><c>same</c>, <c>create</c>, <c>update</c>, <c>delete</c>, <c>replace</c>, <c>refresh</c>, ...</summary>
    public string Op { get; init; } = "";
    public string Urn { get; init; } = "";
    public string Type { get; init; } = "";
    public StepEventStateMetadata? Old { get; init; }
    public StepEventStateMetadata? New { get; init; }
    public IReadOnlyList<string>? Diffs { get; init; }
    public bool? Logical { get; init; }
    public string? Provider { get; init; }
}

/// <summary>A resource's state before or after a step.</summary>
public sealed record StepEventStateMetadata
{
    public string Type { get; init; } = "";
    public string Urn { get; init; } = "";
    public bool? Custom { get; init; }
    public string Id { get; init; } = "";
    public string Parent { get; init; } = "";
    public bool? RetainOnDelete { get; init; }
    public JsonObject? Outputs { get; init; }
}

/// <summary>Source-generated JSON metadata of the event stream.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase)]
[JsonSerializable(typeof(EngineEvent))]
[JsonSerializable(typeof(List<UpdateSummary>))]
internal sealed partial class AutomationJsonContext : JsonSerializerContext;
