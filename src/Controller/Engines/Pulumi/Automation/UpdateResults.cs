namespace Reconciler.Controller.Engines.Pulumi.Automation;

/// <summary>One entry of <c>stack history</c>: an update's kind, result, counts and version.</summary>
public sealed record UpdateSummary
{
    public string Kind { get; init; } = "";
    public string Result { get; init; } = "";
    public string? Message { get; init; }
    public string? StartTime { get; init; }
    public string? EndTime { get; init; }
    public int? Version { get; init; }
    public IReadOnlyDictionary<string, int>? ResourceChanges { get; init; }
}

/// <summary>What <c>up</c>, <c>refresh</c> or <c>destroy</c> returned: the CLI's output and the stack's latest history entry.</summary>
public record UpdateResult(string StandardOutput, string StandardError, UpdateSummary? Summary);

/// <summary>The result of <c>up</c>.</summary>
public sealed record UpResult(string StandardOutput, string StandardError, UpdateSummary? Summary) : UpdateResult(StandardOutput, StandardError, Summary);

/// <summary>Options shared by the update operations.</summary>
public abstract record UpdateOptions
{
    /// <summary>Called for every engine event as the CLI writes it; setting it turns the event log on.</summary>
    public Action<EngineEvent>? OnEvent { get; init; }

    public string? Message { get; init; }

    public int? Parallel { get; init; }
}

/// <summary>Options of <c>up</c>.</summary>
public sealed record UpOptions : UpdateOptions
{
    public bool ExpectNoChanges { get; init; }

    /// <summary>Refresh the state before the update (<c>--refresh</c>).</summary>
    public bool Refresh { get; init; }
}

/// <summary>Options of <c>refresh</c>.</summary>
public sealed record RefreshOptions : UpdateOptions
{
    /// <summary>Drop the creates a killed update left pending (<c>--clear-pending-creates</c>).</summary>
    public bool ClearPendingCreates { get; init; }
}

/// <summary>Options of <c>destroy</c>.</summary>
public sealed record DestroyOptions : UpdateOptions;
