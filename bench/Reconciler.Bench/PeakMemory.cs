using System.Globalization;

namespace Reconciler.Bench;

/// <summary>The peak resident memory of a process over its life (Linux <c>VmHWM</c>), including what the runtime holds beyond the managed heap.</summary>
internal static class PeakMemory
{
    public static double ReadPeakMegabytes(int processId)
    {
        const string Field = "VmHWM:";
        foreach (var line in File.ReadLines($"/proc/{processId}/status"))
        {
            if (line.StartsWith(Field, StringComparison.Ordinal))
            {
                return long.Parse(line[Field.Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture) / 1024.0;
            }
        }
        throw new InvalidOperationException($"/proc/{processId}/status has no {Field}");
    }
}
