using Reconciler.Model.Aws;

namespace Reconciler.Model.Validation.Rules;

/// <summary>Systems Manager Parameter Store names, as PutParameter would accept them.</summary>
internal static class ParameterStoreRules
{
    public const int MaxHierarchyLevels = 15;

    private const string Allowed =
        "use 1-2048 characters a-z, A-Z, 0-9, \"_\", \".\", \"-\" and \"/\", starting with \"/\" when hierarchical (at most 15 levels), not starting with \"aws\" or \"ssm\", e.g. \"/pulumi/access-token\"";

    public static void Check(RuleContext context, string path, string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            context.Add(path, $"required: {what}; {Allowed}");
        }
        else if (Problem(name) is { } problem)
        {
            context.Add(path, $"{Quoted.Text(name)} is not a valid Parameter Store name: {problem}; {Allowed}");
        }
    }

    public static string? Problem(string name)
    {
        if (name.Length > AwsApiLimits.Ssm.ParameterNameMaxLength)
        {
            return $"it is {name.Length} characters long";
        }
        foreach (var c in name)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' or '/'))
            {
                return c < 0x20 || c == 0x7F ? "it contains a control character" : $"it contains \"{c}\"";
            }
        }
        if (name.Contains('/') && name[0] != '/')
        {
            return "a hierarchical name must start with \"/\"";
        }
        var levels = name.TrimStart('/').Split('/');
        if (levels.Any(l => l.Length == 0))
        {
            return "it has an empty level (\"//\" or a trailing \"/\")";
        }
        if (levels.Length > MaxHierarchyLevels)
        {
            return $"it has {levels.Length} levels";
        }
        if (levels[0].StartsWith("aws", StringComparison.OrdinalIgnoreCase) || levels[0].StartsWith("ssm", StringComparison.OrdinalIgnoreCase))
        {
            return "names starting with \"aws\" or \"ssm\" are reserved";
        }
        return null;
    }
}
