namespace Reconciler.LocalCloud.Faults;

/// <summary>What to do to one request: which fault, if any, and how long to wait first.</summary>
public sealed record InjectedFault(FaultKind Kind, TimeSpan Latency)
{
    public static InjectedFault None { get; } = new(FaultKind.None, TimeSpan.Zero);
}

/// <summary>The faults LocalCloud can inject.</summary>
public enum FaultKind
{
    None,
    Throttle,
    InternalFailure,
    ServiceUnavailable,
}
