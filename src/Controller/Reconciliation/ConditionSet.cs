using Reconciler.Model.Documents;

namespace Reconciler.Controller.Reconciliation;

/// <summary>Sets conditions the Kubernetes way: <c>lastTransitionTime</c> moves only when a condition's status flips.</summary>
public static class ConditionSet
{
    /// <summary>Replaces or adds <paramref name="wanted"/>, keeping the old transition time unless the status changed.</summary>
    public static IReadOnlyList<Condition> Set(IReadOnlyList<Condition> conditions, Condition wanted, DateTimeOffset now)
    {
        var result = new List<Condition>(conditions.Count + 1);
        var found = false;
        foreach (var condition in conditions)
        {
            if (condition.Type != wanted.Type)
            {
                result.Add(condition);
                continue;
            }
            found = true;
            result.Add(wanted with { LastTransitionTime = condition.Status == wanted.Status ? condition.LastTransitionTime : now });
        }
        if (!found)
        {
            result.Add(wanted with { LastTransitionTime = now });
        }
        return result;
    }

    public static Condition? Find(IReadOnlyList<Condition>? conditions, string type) =>
        conditions?.FirstOrDefault(c => c.Type == type);

    public static bool IsTrue(IReadOnlyList<Condition>? conditions, string type) =>
        Find(conditions, type)?.Status == ConditionStatus.True;
}
