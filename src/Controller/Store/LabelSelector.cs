namespace Reconciler.Controller.Store;

/// <summary>A Kubernetes equality-based label selector: <c>k=v</c>, <c>k==v</c>, <c>k!=v</c>, <c>k</c> (exists), <c>!k</c> (absent), comma-joined.</summary>
public sealed class LabelSelector
{
    private readonly IReadOnlyList<Requirement> _requirements;

    private LabelSelector(IReadOnlyList<Requirement> requirements) => _requirements = requirements;

    /// <summary>Matches everything.</summary>
    public static LabelSelector Everything { get; } = new([]);

    /// <exception cref="FormatException">The selector is malformed; the message says which term.</exception>
    public static LabelSelector Parse(string? selector)
    {
        if (string.IsNullOrWhiteSpace(selector))
        {
            return Everything;
        }
        var requirements = new List<Requirement>();
        foreach (var raw in selector.Split(',', StringSplitOptions.TrimEntries))
        {
            requirements.Add(ParseTerm(raw, selector));
        }
        return new LabelSelector(requirements);
    }

    public bool Matches(IReadOnlyDictionary<string, string>? labels)
    {
        foreach (var requirement in _requirements)
        {
            string? value = null;
            var present = labels is not null && labels.TryGetValue(requirement.Key, out value);
            var ok = requirement.Operator switch
            {
                SelectorOperator.Equals => present && value == requirement.Value,
                SelectorOperator.NotEquals => !present || value != requirement.Value,
                SelectorOperator.Exists => present,
                _ => !present,
            };
            if (!ok)
            {
                return false;
            }
        }
        return true;
    }

    private static Requirement ParseTerm(string term, string selector)
    {
        if (term.Length == 0)
        {
            throw new FormatException($"label selector '{selector}' has an empty term");
        }
        Requirement requirement;
        var notEquals = term.IndexOf("!=", StringComparison.Ordinal);
        var equals = term.IndexOf('=');
        if (notEquals > 0)
        {
            requirement = new Requirement(term[..notEquals].Trim(), SelectorOperator.NotEquals, term[(notEquals + 2)..].Trim());
        }
        else if (equals > 0)
        {
            var valueStart = term.Length > equals + 1 && term[equals + 1] == '=' ? equals + 2 : equals + 1;
            requirement = new Requirement(term[..equals].Trim(), SelectorOperator.Equals, term[valueStart..].Trim());
        }
        else if (term.StartsWith('!'))
        {
            requirement = new Requirement(term[1..].Trim(), SelectorOperator.Absent, null);
        }
        else
        {
            requirement = new Requirement(term, SelectorOperator.Exists, null);
        }
        if (requirement.Key.Length == 0 || requirement.Key.Any(c => char.IsWhiteSpace(c) || c is '=' or '!') || requirement.Value?.Contains('=') == true)
        {
            throw new FormatException($"label selector '{selector}': term '{term}' is not key=value, key!=value, key or !key");
        }
        return requirement;
    }

    private sealed record Requirement(string Key, SelectorOperator Operator, string? Value);

    private enum SelectorOperator
    {
        Equals,
        NotEquals,
        Exists,
        Absent,
    }
}
