namespace Reconciler.LocalCloud.Faults;

/// <summary>Decides, per request, whether to answer with an injected fault; draws come from one seeded generator, so a sequence of requests gets the same faults every run.</summary>
public sealed class FaultInjector
{
    private readonly Lock _lock = new();
    private FaultSettings _settings = FaultSettings.None;
    private Random _random = new(0);

    public FaultInjector(FaultSettings settings) => Set(settings);

    /// <summary>The requests an injected latency holds right now.</summary>
    public LatencyHolds Holds { get; } = new();

    public FaultSettings Settings
    {
        get
        {
            lock (_lock)
            {
                return _settings;
            }
        }
    }

    /// <summary>Replaces the rules and restarts the generator from the seed.</summary>
    public void Set(FaultSettings settings)
    {
        settings.Validate();
        lock (_lock)
        {
            _settings = settings;
            _random = new Random(settings.Seed);
        }
    }

    /// <summary>The fault (and latency) for the next request to an operation.</summary>
    public InjectedFault Decide(string service, string operation)
    {
        lock (_lock)
        {
            var rule = _settings.Rules
                .Select(r => (Rule: r, Rank: r.Specificity(service, operation)))
                .Where(r => r.Rank >= 0)
                .OrderByDescending(r => r.Rank)
                .Select(r => r.Rule)
                .FirstOrDefault();
            if (rule is null)
            {
                return InjectedFault.None;
            }
            var latency = TimeSpan.FromMilliseconds(rule.LatencyMs);
            if (rule.ThrottleRatio + rule.ErrorRatio <= 0)
            {
                return new InjectedFault(FaultKind.None, latency);
            }
            var draw = _random.NextDouble();
            if (draw < rule.ThrottleRatio)
            {
                return new InjectedFault(FaultKind.Throttle, latency);
            }
            if (draw < rule.ThrottleRatio + rule.ErrorRatio)
            {
                // Both 5xx forms AWS sends: the lower half of the error band is a 500, the upper a 503.
                var half = rule.ThrottleRatio + (rule.ErrorRatio / 2);
                return new InjectedFault(draw < half ? FaultKind.InternalFailure : FaultKind.ServiceUnavailable, latency);
            }
            return new InjectedFault(FaultKind.None, latency);
        }
    }
}
