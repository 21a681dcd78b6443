namespace Reconciler.Model.Documents;

/// <summary>Pure condition bookkeeping: set a condition so that <c>lastTransitionTime</c> moves only when its status flips.</summary>
public static class Conditions
{
    /// <summary>
    /// Returns <paramref name="conditions"/> with <paramref name="condition"/> set: replaced in place when its type exists
    /// (keeping the old <c>lastTransitionTime</c> if the status is the same), appended otherwise.
    /// </summary>
    /// <param name="condition">The new condition; its <c>LastTransitionTime</c> is "now", used only if the status flipped.</param>
    public static IReadOnlyList<Condition> Set(IReadOnlyList<Condition> conditions, Condition condition)
    {
        var result = new List<Condition>(conditions.Count + 1);
        var found = false;
        foreach (var existing in conditions)
        {
            if (!string.Equals(existing.Type, condition.Type, StringComparison.Ordinal))
            {
                result.Add(existing);
                continue;
            }
            found = true;
            result.Add(string.Equals(existing.Status, condition.Status, StringComparison.Ordinal)
                ? condition with { LastTransitionTime = existing.LastTransitionTime }
                : condition);
        }
        if (!found)
        {
            result.Add(condition);
        }
        return result;
    }

    /// <summary>The condition of <paramref name="type"/>, if present.</summary>
    public static Condition? Find(IReadOnlyList<Condition> conditions, string type) =>
        conditions.FirstOrDefault(c => string.Equals(c.Type, type, StringComparison.Ordinal));

    /// <summary>True when the condition of <paramref name="type"/> is present with status True.</summary>
    public static bool IsTrue(IReadOnlyList<Condition> conditions, string type) =>
        Find(conditions, type) is { Status: ConditionStatus.True };

    /// <summary>Returns <paramref name="conditions"/> without the condition of <paramref name="type"/>.</summary>
    public static IReadOnlyList<Condition> Remove(IReadOnlyList<Condition> conditions, string type) =>
        [.. conditions.Where(c => !string.Equals(c.Type, type, StringComparison.Ordinal))];
}
