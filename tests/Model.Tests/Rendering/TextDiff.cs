using System.Text;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>A line diff (longest common subsequence) for readable golden-file failures.</summary>
internal static class TextDiff
{
    /// <summary>Changed lines as <c>-expected</c> / <c>+actual</c> with line numbers and one line of context.</summary>
    public static string Unified(string expected, string actual, int maxLines = 60)
    {
        var a = expected.Split('\n');
        var b = actual.Split('\n');
        var lcs = new int[a.Length + 1, b.Length + 1];
        for (var i = a.Length - 1; i >= 0; i--)
        {
            for (var j = b.Length - 1; j >= 0; j--)
            {
                lcs[i, j] = a[i] == b[j] ? lcs[i + 1, j + 1] + 1 : Math.Max(lcs[i + 1, j], lcs[i, j + 1]);
            }
        }
        var lines = new List<(char Op, int Line, string Text)>();
        int x = 0, y = 0;
        while (x < a.Length || y < b.Length)
        {
            if (x < a.Length && y < b.Length && a[x] == b[y])
            {
                lines.Add((' ', x + 1, a[x]));
                x++;
                y++;
            }
            else if (x < a.Length && (y == b.Length || lcs[x + 1, y] >= lcs[x, y + 1]))
            {
                lines.Add(('-', x + 1, a[x]));
                x++;
            }
            else
            {
                lines.Add(('+', y + 1, b[y]));
                y++;
            }
        }
        var output = new StringBuilder();
        var written = 0;
        for (var k = 0; k < lines.Count && written < maxLines; k++)
        {
            var near = lines[k].Op != ' '
                || (k > 0 && lines[k - 1].Op != ' ')
                || (k + 1 < lines.Count && lines[k + 1].Op != ' ');
            if (near)
            {
                output.Append(lines[k].Op).Append(lines[k].Line.ToString("D4", System.Globalization.CultureInfo.InvariantCulture)).Append(' ').Append(lines[k].Text).Append('\n');
                written++;
            }
        }
        return output.ToString();
    }
}
