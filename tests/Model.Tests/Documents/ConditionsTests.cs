using Reconciler.Model.Documents;

namespace Reconciler.Model.Tests.Documents;

public class ConditionsTests
{
    private static readonly DateTimeOffset T0 = DateTimeOffset.Parse("2025-01-01T00:00:00Z");
    private static readonly DateTimeOffset T1 = T0.AddMinutes(5);

    private static Condition Ready(string status, DateTimeOffset at, string reason = "Reconciled") =>
        new() { Type = ConditionTypes.Ready, Status = status, Reason = reason, Message = reason, LastTransitionTime = at, ObservedGeneration = 1 };

    [Fact]
    public void Setting_the_same_status_keeps_the_transition_time_but_takes_the_new_reason()
    {
        IReadOnlyList<Condition> conditions = [Ready(ConditionStatus.True, T0)];
        var updated = Conditions.Set(conditions, Ready(ConditionStatus.True, T1, "StillFine"));
        var ready = Assert.Single(updated);
        Assert.Equal(T0, ready.LastTransitionTime);
        Assert.Equal("StillFine", ready.Reason);
    }

    [Fact]
    public void A_status_flip_moves_the_transition_time_and_other_conditions_keep_their_place()
    {
        var drifted = new Condition { Type = ConditionTypes.Drifted, Status = ConditionStatus.False, LastTransitionTime = T0 };
        IReadOnlyList<Condition> conditions = [Ready(ConditionStatus.True, T0), drifted];
        var updated = Conditions.Set(conditions, Ready(ConditionStatus.False, T1, "ApplyFailed"));
        Assert.Equal([ConditionTypes.Ready, ConditionTypes.Drifted], updated.Select(c => c.Type));
        Assert.Equal(T1, updated[0].LastTransitionTime);
        Assert.False(Conditions.IsTrue(updated, ConditionTypes.Ready));
        Assert.Same(drifted, updated[1]);
    }

    [Fact]
    public void A_new_type_is_appended_and_remove_drops_it()
    {
        var updated = Conditions.Set([], Ready(ConditionStatus.True, T1));
        Assert.True(Conditions.IsTrue(updated, ConditionTypes.Ready));
        Assert.Empty(Conditions.Remove(updated, ConditionTypes.Ready));
        Assert.Null(Conditions.Find(updated, ConditionTypes.Stalled));
    }
}
