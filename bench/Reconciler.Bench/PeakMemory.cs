using System.Globalization;

namespace Reconciler.Bench;

/// <summary>
/// Peak resident memory of a process (Linux <c>VmHWM</c>), with a reset so that a phase's peak is not the peak of
/// the set-up before it.
/// </summary>
internal static class PeakMemory
{
    /// <summary>
    /// Makes the current resident set the new peak (writing 5 to <c>/proc/self/clear_refs</c>, Linux 4.0+); answers
    /// false where that is not possible, and the peak then counts from the start of the process.
    /// </summary>
    public static bool TryReset()
    {
        try
        {
            File.WriteAllText("/proc/self/clear_refs", "5");
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DirectoryNotFoundException)
        {
            return false;
        }
    }

    public static double ReadPeakMegabytes(int processId) => ReadKilobytes(processId, "VmHWM:") / 1024.0;

    public static double ReadCurrentMegabytes(int processId) => ReadKilobytes(processId, "VmRSS:") / 1024.0;

    private static long ReadKilobytes(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
            }
        }
        throw new InvalidOperationException($"/proc/{processId}/status has no {field}");
    }
}
