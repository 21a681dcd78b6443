using System.Globalization;

namespace Reconciler.Bench;

/// <summary>The peak resident memory of a process over its life (Linux <c>VmHWM</c>), including what the runtime holds beyond the managed heap.</summary>
internal static class PeakMemory
{
    public static double ReadPeakMegabytes(int processId) => ReadMegabytes(processId, "VmHWM:");

    /// <summary>A memory field of <c>/proc/&lt;pid&gt;/status</c> (<c>VmRSS:</c>, <c>VmHWM:</c>), in MB.</summary>
    public static double ReadMegabytes(int processId, string field)
    {
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(field, StringComparison.Ordinal))
            {
                return long.Parse(line[field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        throw new InvalidOperationException($"/proc/{processId}/status has no {field}");
    }
}
