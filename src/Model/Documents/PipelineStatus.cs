namespace Reconciler.Model.Documents;

/// <summary>What the controller last observed and did; written separately from the spec, never bumps generation.</summary>
public sealed record PipelineStatus
{
    public long ObservedGeneration { get; set; }
    public string? Phase { get; set; }
    public IReadOnlyList<Condition> Conditions { get; set; } = [];
    public IReadOnlyList<ResourceStatus> Resources { get; set; } = [];
    public ApplyRecord? LastApply { get; set; }
    public DateTimeOffset? NextRetryTime { get; set; }
    public DateTimeOffset? NextResyncTime { get; set; }
    public string? SourceRevision { get; set; }
}

/// <summary>A Kubernetes-style condition; <see cref="LastTransitionTime"/> moves only when <see cref="Status"/> flips.</summary>
public sealed record Condition
{
    public string Type { get; set; } = "";
    public string Status { get; set; } = ConditionStatus.Unknown;
    public string Reason { get; set; } = "";
    public string Message { get; set; } = "";
    public DateTimeOffset LastTransitionTime { get; set; }
    public long ObservedGeneration { get; set; }
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
    public string Kind { get; set; } = "";
    public string Name { get; set; } = "";
    public string? Arn { get; set; }
    public string State { get; set; } = "";
}

/// <summary>The outcome of the last converge.</summary>
public sealed record ApplyRecord
{
    public string Engine { get; set; } = "";
    public string Result { get; set; } = "";
    public int Creates { get; set; }
    public int Updates { get; set; }
    public int Deletes { get; set; }
    public double DurationSeconds { get; set; }
    public DateTimeOffset? FinishedAt { get; set; }
}
