using System.Text.RegularExpressions;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.pulumi: the pinned CLI version, the access-token parameter, the program directory and the ESC environment.</summary>
internal static partial class PulumiRules
{
    private const string PulumiPath = "$.spec.pulumi";

    // semver.org's grammar, anchored at the true end.
    [GeneratedRegex(@"^(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)\.(0|[1-9][0-9]*)(-((0|[1-9][0-9]*|[0-9]*[a-zA-Z\-][0-9a-zA-Z\-]*)(\.(0|[1-9][0-9]*|[0-9]*[a-zA-Z\-][0-9a-zA-Z\-]*))*))?(\+([0-9a-zA-Z\-]+(\.[0-9a-zA-Z\-]+)*))?\z", RegexOptions.CultureInvariant)]
    private static partial Regex SemanticVersion();

    // The directory goes into the generated buildspec's shell commands, so only plain path characters pass.
    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+)*/?\z", RegexOptions.CultureInvariant)]
    private static partial Regex RelativeDirectory();

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]+(/[A-Za-z0-9_.\-]+){0,2}\z", RegexOptions.CultureInvariant)]
    private static partial Regex EscEnvironment();

    public static void Check(RuleContext context, PulumiSettings? pulumi)
    {
        if (pulumi is null)
        {
            context.Add(PulumiPath, "required: the Pulumi settings (cliVersion, accessToken, ...)");
            return;
        }
        var versionPath = JsonPath.Field(PulumiPath, "cliVersion");
        if (string.IsNullOrEmpty(pulumi.CliVersion))
        {
            context.Add(versionPath, "required: the exact Pulumi CLI version to install, such as \"3.140.0\"");
        }
        else if (!SemanticVersion().IsMatch(pulumi.CliVersion))
        {
            context.Add(versionPath, $"{Quoted.Text(pulumi.CliVersion)} is not a semantic version; pin an exact Pulumi CLI release such as \"3.140.0\"");
        }
        AccessTokenRules.Check(context, pulumi);
        if (pulumi.WorkDir is { } workDir
            && (!RelativeDirectory().IsMatch(workDir) || workDir.Split('/').Any(part => part == "..")))
        {
            context.Add(JsonPath.Field(PulumiPath, "workDir"),
                $"{Quoted.Text(workDir)} is not a directory inside the repository; use a relative path of A-Z, a-z, 0-9, \"_\", \".\" and \"-\" separated by \"/\", without \"..\", such as \"infra\"");
        }
        if (pulumi.EscEnvironment is { } environment && !EscEnvironment().IsMatch(environment))
        {
            context.Add(JsonPath.Field(PulumiPath, "escEnvironment"),
                $"{Quoted.Text(environment)} is not a Pulumi ESC environment reference; use \"[org/][project/]environment\", each part made of A-Z, a-z, 0-9, \"_\", \".\" and \"-\"");
        }
    }
}
