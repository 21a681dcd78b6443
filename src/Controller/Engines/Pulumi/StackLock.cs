using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using Reconciler.Controller.Engines.Pulumi.Automation;

namespace Reconciler.Controller.Engines.Pulumi;

/// <summary>One update lock on a stack as the CLI reports it (<c>created by user@host (pid N) at time</c>); a service 409 names none.</summary>
/// <param name="Holder">The CLI's text for the holder: <c>user@host (pid N) at time</c>.</param>
public sealed partial record StackLock(string Holder, string User, string Host, int Pid, DateTimeOffset? TakenAt)
{
    /// <summary>The locks a concurrent-update failure lists, in its order.</summary>
    public static IEnumerable<StackLock> Read(ConcurrentUpdateException exception) =>
        exception.Holders.Select(h => HolderPattern().Match(h)).Where(m => m.Success).Select(m => new StackLock(
            m.Value["created by ".Length..],
            m.Groups["user"].Value,
            m.Groups["host"].Value,
            int.Parse(m.Groups["pid"].Value, CultureInfo.InvariantCulture),
            DateTimeOffset.TryParse(m.Groups["at"].Value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at) ? at : null));

    /// <summary>Whether a process with this id runs on this host.</summary>
    public static bool ProcessRuns(int pid)
    {
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    [GeneratedRegex(@"created by (?<user>[^@\s]+)@(?<host>\S+) \(pid (?<pid>\d+)\) at (?<at>\S+)")]
    private static partial Regex HolderPattern();
}
