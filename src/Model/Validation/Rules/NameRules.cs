using System.Text.RegularExpressions;
using Reconciler.Model.Aws;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Validation.Rules;

/// <summary>metadata.name and the stage names: DNS labels, and short enough for every AWS name derived from them.</summary>
internal static partial class NameRules
{
    public const int DnsLabelMaxLength = 63;

    private const string DnsLabelRule =
        "use 1-63 characters a-z, 0-9 and \"-\", starting and ending with a letter or digit";

    [GeneratedRegex(@"^[a-z0-9]([-a-z0-9]*[a-z0-9])?\z", RegexOptions.CultureInvariant)]
    private static partial Regex DnsLabel();

    public static bool IsDnsLabel(string? value) =>
        value is { Length: > 0 and <= DnsLabelMaxLength } && DnsLabel().IsMatch(value);

    public static void CheckName(RuleContext context, string path, string? name, string what)
    {
        if (string.IsNullOrEmpty(name))
        {
            context.Add(path, $"{what} is required; {DnsLabelRule}");
        }
        else if (name.Length > DnsLabelMaxLength)
        {
            context.Add(path, $"{what} is {name.Length} characters long; a lower-case DNS label has at most {DnsLabelMaxLength} (a-z, 0-9 and \"-\")");
        }
        else if (!IsDnsLabel(name))
        {
            context.Add(path, $"{Quoted.Text(name)} is not a lower-case DNS label; {DnsLabelRule}");
        }
    }

    /// <summary>
    /// Each stage becomes a CodeBuild project <c>&lt;name&gt;-&lt;stage&gt;</c>; the pipeline is named <c>&lt;name&gt;</c>.
    /// Two DNS labels joined by "-" always match both services' patterns, so only the lengths can break.
    /// </summary>
    public static void CheckDerivedNames(RuleContext context, string name, IEnumerable<string> stageNames, bool pipelineEnabled)
    {
        const string path = "$.metadata.name";
        var longest = stageNames.Where(s => !string.IsNullOrEmpty(s)).OrderByDescending(s => s.Length).FirstOrDefault();
        if (longest is not null && CodeBuildProjectRenderer.ProjectName(name, longest).Length is var length && length > AwsApiLimits.CodeBuild.ProjectNameMaxLength)
        {
            context.Add(path,
                $"the CodeBuild project name derived for stage {Quoted.Text(longest)} (<name>-<stage>) would be {length} characters; " +
                $"CodeBuild allows {AwsApiLimits.CodeBuild.ProjectNameMinLength}..{AwsApiLimits.CodeBuild.ProjectNameMaxLength}, so shorten the name or the stage name");
        }
        if (pipelineEnabled && name.Length > AwsApiLimits.CodePipeline.PipelineNameMaxLength)
        {
            context.Add(path,
                $"the CodePipeline pipeline takes this name, and {name.Length} characters exceed CodePipeline's limit of {AwsApiLimits.CodePipeline.PipelineNameMaxLength}");
        }
    }
}
