namespace Reconciler.Model.Documents;

// Absent fields: the System.Text.Json source generator passes null (or 0) to init-only properties instead of
// keeping their initializers (dotnet/runtime#84484), so the init accessors put the defaults back.
/// <summary>What the controller last observed and did; written separately from the spec, never bumps generation.</summary>
public sealed record PipelineStatus
{
    public long ObservedGeneration { get; init; }
    public string? Phase { get; init; }
    public IReadOnlyList<Condition> Conditions { get; init => field = value ?? []; } = [];
    public IReadOnlyList<ResourceStatus> Resources { get; init => field = value ?? []; } = [];
    public ApplyRecord? LastApply { get; init; }

    /// <summary>The engine whose state holds the resources (a Pulumi stack's, or none for direct): the one that last converged them or took them over.</summary>
    public string? Engine { get; init; }
    public DateTimeOffset? NextRetryTime { get; init; }
    public DateTimeOffset? NextResyncTime { get; init; }
    public string? SourceRevision { get; init; }

    /// <summary>The template (<c>name@generation</c>) the observed generation was merged with; null for a spec without one.</summary>
    public string? ObservedTemplate { get; init; }
}

/// <summary>A Kubernetes-style condition; <see cref="LastTransitionTime"/> moves only when <see cref="Status"/> flips.</summary>
public sealed record Condition
{
    public string Type { get; init => field = value ?? ""; } = "";
    public string Status { get; init => field = value ?? ConditionStatus.Unknown; } = ConditionStatus.Unknown;
    public string Reason { get; init => field = value ?? ""; } = "";
    public string Message { get; init => field = value ?? ""; } = "";
    public DateTimeOffset LastTransitionTime { get; init; }
    public long ObservedGeneration { get; init; }
}

/// <summary>Condition status values.</summary>
public static class ConditionStatus
{
    public const string True = "True";
    public const string False = "False";
    public const string Unknown = "Unknown";
}

/// <summary>Well-known condition types.</summary>
public static class ConditionTypes
{
    public const string Ready = "Ready";
    public const string Reconciling = "Reconciling";
    public const string Stalled = "Stalled";
    public const string Drifted = "Drifted";
}

/// <summary>One AWS resource the spec owns, as last observed.</summary>
public sealed record ResourceStatus
{
    public string Kind { get; init => field = value ?? ""; } = "";
    public string Name { get; init => field = value ?? ""; } = "";
    public string? Arn { get; init; }
    public string State { get; init => field = value ?? ""; } = "";
}

/// <summary>The outcome of the last converge.</summary>
public sealed record ApplyRecord
{
    public string Engine { get; init => field = value ?? ""; } = "";
    public string Result { get; init => field = value ?? ""; } = "";
    public int Creates { get; init; }
    public int Updates { get; init; }
    public int Deletes { get; init; }
    public double DurationSeconds { get; init; }
    public DateTimeOffset? FinishedAt { get; init; }
}
