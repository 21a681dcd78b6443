namespace Reconciler.Model.Validation;

/// <summary>Finds the allowed name a mistyped one most likely meant ("stagse" → "stages").</summary>
internal static class SpellingSuggestion
{
    public static string? Closest(string typed, IEnumerable<string> allowed)
    {
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var candidate in allowed)
        {
            var distance = Distance(typed.ToLowerInvariant(), candidate.ToLowerInvariant());
            if (distance < bestDistance)
            {
                best = candidate;
                bestDistance = distance;
            }
        }
        if (best is null)
        {
            return null;
        }
        // Close enough to be a typo: about one edit per three characters, or a truncated/extended name.
        var limit = Math.Max(1, Math.Min(typed.Length, best.Length) / 3);
        var isAffix = typed.Length >= 3
            && (best.StartsWith(typed, StringComparison.OrdinalIgnoreCase) || typed.StartsWith(best, StringComparison.OrdinalIgnoreCase));
        return bestDistance <= limit || isAffix ? best : null;
    }

    /// <summary>Optimal string alignment distance: Levenshtein plus transposition of adjacent characters.</summary>
    internal static int Distance(string a, string b)
    {
        if (a.Length > 256 || b.Length > 256)
        {
            return Math.Max(a.Length, b.Length);
        }
        var d = new int[a.Length + 1, b.Length + 1];
        for (var i = 0; i <= a.Length; i++)
        {
            d[i, 0] = i;
        }
        for (var j = 0; j <= b.Length; j++)
        {
            d[0, j] = j;
        }
        for (var i = 1; i <= a.Length; i++)
        {
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                var value = Math.Min(Math.Min(d[i - 1, j] + 1, d[i, j - 1] + 1), d[i - 1, j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, d[i - 2, j - 2] + 1);
                }
                d[i, j] = value;
            }
        }
        return d[a.Length, b.Length];
    }
}
