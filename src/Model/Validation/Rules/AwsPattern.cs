using System.Text.RegularExpressions;

namespace Reconciler.Model.Validation.Rules;

/// <summary>Compiles a pattern from an AWS API model so that it anchors at the true end of the text.</summary>
internal static class AwsPattern
{
    /// <summary>In .NET, <c>$</c> also matches before a final newline; AWS means the end of the value.</summary>
    public static Regex Compile(string pattern) =>
        new(pattern.EndsWith('$') ? pattern[..^1] + @"\z" : pattern, RegexOptions.CultureInvariant);
}
