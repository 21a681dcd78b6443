namespace Reconciler.LocalCloud.Faults;

/// <summary>The fault rules in force and the seed that makes their draws repeatable.</summary>
public sealed record FaultSettings(IReadOnlyList<FaultRule> Rules, int Seed = 0)
{
    public static FaultSettings None { get; } = new([]);

    /// <summary>One rule for every operation.</summary>
    public static FaultSettings Everywhere(double throttleRatio = 0, double errorRatio = 0, int latencyMs = 0, int seed = 0) =>
        new([new FaultRule("*", throttleRatio, errorRatio, latencyMs)], seed);

    /// <summary>Throws <see cref="ArgumentException"/> listing every problem of every rule.</summary>
    public void Validate()
    {
        // Deserialized settings can carry nulls the types do not admit.
        if (Rules is null)
        {
            throw new ArgumentException("Invalid fault settings: rules: expected a list of rules, not null");
        }
        var problems = Rules.SelectMany((r, i) => r is null
            ? Enumerable.Repeat($"rules[{i}]: expected a rule object, not null", 1)
            : r.Problems().Select(p => $"rules[{i}]: {p}")).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException("Invalid fault settings: " + string.Join("; ", problems));
        }
    }
}
