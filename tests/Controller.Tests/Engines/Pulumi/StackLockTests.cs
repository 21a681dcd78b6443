using Reconciler.Controller.Engines.Pulumi;
using Reconciler.Controller.Engines.Pulumi.Automation;

namespace Reconciler.Controller.Tests.Engines.Pulumi;

/// <summary>Reading the holders of a stack lock from the CLI's text, and the option that lets the engine cancel a stale one of its own.</summary>
public sealed class StackLockTests
{
    [Fact]
    public void The_holders_a_DIY_backend_lists_are_read_with_user_host_pid_and_time()
    {
        var stderr = "error: the stack is currently locked by 2 lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n"
            + "  file:///state/.pulumi/locks/reconciler/web/1.json: created by ci@runner-7 (pid 31337) at 2026-11-30T08:15:00Z\n"
            + "  file:///state/.pulumi/locks/reconciler/web/2.json: created by ops@laptop (pid 12) at 2026-11-30T09:00:00Z\n";

        var locks = StackLock.Read((ConcurrentUpdateException)CommandException.CreateFromResult(new CommandResult(255, "", stderr))).ToList();

        Assert.Equal(2, locks.Count);
        Assert.Equal(new StackLock("ci@runner-7 (pid 31337) at 2026-11-30T08:15:00Z", "ci", "runner-7", 31337, new DateTimeOffset(2026, 11, 30, 8, 15, 0, TimeSpan.Zero)), locks[0]);
        Assert.Equal("ops", locks[1].User);
    }

    [Fact]
    public void A_service_conflict_names_no_holder()
    {
        var stderr = "error: [409] Conflict: Another update is currently in progress.\nTo learn more about possible reasons and resolution, visit https://www.pulumi.com/docs/support/troubleshooting/common-issues/update-conflicts/\n";

        var exception = Assert.IsType<ConcurrentUpdateException>(CommandException.CreateFromResult(new CommandResult(255, "", stderr)));

        Assert.Empty(StackLock.Read(exception));
    }

    [Fact]
    public void A_process_that_ended_does_not_run_and_this_one_does()
    {
        Assert.True(StackLock.ProcessRuns(Environment.ProcessId));
        Assert.False(StackLock.ProcessRuns(int.MaxValue));
    }

    [Theory]
    [InlineData("soon")]
    [InlineData("-5m")]
    public void The_cancel_option_is_off_or_a_duration(string value)
    {
        var error = Assert.Throws<FormatException>(() => new PulumiEngineDefinition().Validate(new Dictionary<string, string>
        {
            [PulumiEngineDefinition.CancelStaleLocks.Name] = value,
        }));

        Assert.Equal($"--pulumi-cancel-stale-locks: '{value}' is neither off nor a duration such as 30m", error.Message);
    }
}
