using System.Net;

namespace Reconciler.Model.Validation.Rules;

/// <summary>S3 general-purpose bucket naming rules (the pipeline's artifact store).</summary>
internal static class S3BucketRules
{
    private const string Allowed = "use 3-63 characters a-z, 0-9, \".\" and \"-\", starting and ending with a letter or digit";

    private static readonly string[] ReservedPrefixes = ["xn--", "sthree-", "amzn-s3-demo-"];
    private static readonly string[] ReservedSuffixes = ["-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"];

    public static void Check(RuleContext context, string path, string name)
    {
        if (Problem(name) is { } problem)
        {
            context.Add(path, $"{Quoted.Text(name)} is not a valid S3 bucket name: {problem}; {Allowed}");
        }
    }

    public static string? Problem(string name)
    {
        if (name.Length is < 3 or > 63)
        {
            return $"it is {name.Length} characters long";
        }
        if (name.Any(c => !(char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c is '.' or '-')))
        {
            return "it contains characters other than a-z, 0-9, \".\" and \"-\"";
        }
        if (!char.IsAsciiLetterOrDigit(name[0]) || !char.IsAsciiLetterOrDigit(name[^1]))
        {
            return "it must start and end with a letter or digit";
        }
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains \"..\"";
        }
        if (name.Count(c => c == '.') == 3 && IPAddress.TryParse(name, out _))
        {
            return "it is formatted as an IP address";
        }
        if (ReservedPrefixes.FirstOrDefault(p => name.StartsWith(p, StringComparison.Ordinal)) is { } prefix)
        {
            return $"the prefix \"{prefix}\" is reserved";
        }
        if (ReservedSuffixes.FirstOrDefault(s => name.EndsWith(s, StringComparison.Ordinal)) is { } suffix)
        {
            return $"the suffix \"{suffix}\" is reserved";
        }
        return null;
    }
}
