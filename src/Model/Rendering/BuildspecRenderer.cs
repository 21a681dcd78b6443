using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Rendering;

/// <summary>Writes the CodeBuild buildspec (version 0.2, YAML) that runs one stage's Pulumi operation.</summary>
/// <remarks>
/// The text is produced line by line rather than through a YAML library so that it is byte-stable
/// across library versions: it is part of the project's hash, and a changed byte would look like
/// drift. Every value that comes from the spec is shell-quoted and then YAML-quoted when needed.
/// </remarks>
public static partial class BuildspecRenderer
{
    /// <summary>The environment variable CodeBuild fills from Parameter Store; the Pulumi CLI reads it.</summary>
    public const string AccessTokenVariable = "PULUMI_ACCESS_TOKEN";

    /// <summary>The buildspec text for one stage of a spec; it ends with a newline.</summary>
    public static string Render(PipelineSpec spec, StageSpec stage)
    {
        var yaml = new StringBuilder();
        yaml.Append("version: 0.2\n");
        yaml.Append("env:\n");
        yaml.Append("  shell: bash\n");
        yaml.Append("  variables:\n");
        // The build is not interactive and must not spend time on the CLI's self-update check.
        yaml.Append("    PULUMI_SKIP_UPDATE_CHECK: \"true\"\n");
        yaml.Append("phases:\n");
        Phase(yaml, "install",
        [
            $"curl -fsSL https://get.pulumi.com | sh -s -- --version {Shell(spec.Pulumi.CliVersion)}",
            "export PATH=\"$HOME/.pulumi/bin:$PATH\"",
            "pulumi version",
        ]);
        var preBuild = new List<string>();
        if (WorkDirectory(spec.Pulumi.WorkDir) is { } workDir)
        {
            preBuild.Add($"cd {Shell(workDir)}");
        }
        preBuild.Add("pulumi install");
        if (stage.ReviewStack is { } review)
        {
            Phase(yaml, "pre_build", [.. preBuild, .. ReviewStackSetup(stage, review)]);
            Phase(yaml, "build", ReviewStackCommands(spec, stage));
            return yaml.ToString();
        }
        preBuild.Add($"pulumi stack select {Shell(stage.Stack)} --non-interactive");
        if (!string.IsNullOrEmpty(spec.Pulumi.EscEnvironment))
        {
            preBuild.Add(EscCommand(spec.Pulumi.EscEnvironment));
        }
        Phase(yaml, "pre_build", preBuild);
        Phase(yaml, "build", [Operation(stage)]);
        return yaml.ToString();
    }

    /// <summary>The review stack of a stage, up to the pull-request number: <c>&lt;org&gt;/&lt;project&gt;/&lt;prefix&gt;</c>.</summary>
    public static string ReviewStackPrefix(StageSpec stage, ReviewStackSpec review) =>
        stage.Stack[..(stage.Stack.LastIndexOf('/') + 1)] + review.Prefix;

    private static string EscCommand(string environment) => $"pulumi config env add {Shell(environment)} --yes --non-interactive";

    // CodeBuild sets CODEBUILD_WEBHOOK_TRIGGER to pr/<number> for pull-request events; anything else (a manual
    // start, a push) must not touch a review stack, so the build stops before Pulumi runs.
    private static IEnumerable<string> ReviewStackSetup(StageSpec stage, ReviewStackSpec review) =>
    [
        "PR_NUMBER=\"${CODEBUILD_WEBHOOK_TRIGGER#pr/}\"",
        "[[ \"$CODEBUILD_WEBHOOK_TRIGGER\" == pr/* && \"$PR_NUMBER\" =~ ^[0-9]+$ ]] || { echo \"not a pull-request build (CODEBUILD_WEBHOOK_TRIGGER=$CODEBUILD_WEBHOOK_TRIGGER)\" >&2; exit 1; }",
        $"REVIEW_STACK={Shell(ReviewStackPrefix(stage, review))}\"$PR_NUMBER\"",
        $"if [[ \"$CODEBUILD_WEBHOOK_EVENT\" == {SourceProviders.Merged} || \"$CODEBUILD_WEBHOOK_EVENT\" == {SourceProviders.Closed} ]]; then REVIEW_ACTION=destroy; else REVIEW_ACTION=up; fi",
    ];

    // Open or updated: select the review stack, creating it with the base stack's configuration the first time,
    // then deploy. Merged or closed: destroy it and remove it; a stack never created (closed before its first
    // build) is nothing to do.
    private static List<string> ReviewStackCommands(PipelineSpec spec, StageSpec stage)
    {
        var commands = new List<string>
        {
            $"if [[ \"$REVIEW_ACTION\" == up ]]; then pulumi stack select \"$REVIEW_STACK\" --non-interactive || pulumi stack init \"$REVIEW_STACK\" --copy-config-from {Shell(stage.Stack)} --non-interactive; fi",
        };
        if (!string.IsNullOrEmpty(spec.Pulumi.EscEnvironment))
        {
            commands.Add($"if [[ \"$REVIEW_ACTION\" == up ]]; then {EscCommand(spec.Pulumi.EscEnvironment)}; fi");
        }
        commands.Add("if [[ \"$REVIEW_ACTION\" == up ]]; then pulumi up --yes --non-interactive; fi");
        commands.Add("if [[ \"$REVIEW_ACTION\" == destroy ]] && pulumi stack select \"$REVIEW_STACK\" --non-interactive; then pulumi destroy --yes --non-interactive && pulumi stack rm \"$REVIEW_STACK\" --yes --non-interactive; fi");
        return commands;
    }

    /// <summary>The Pulumi command a stage runs.</summary>
    public static string Operation(StageSpec stage) => stage.Operation switch
    {
        StageOperations.Up => "pulumi up --yes --non-interactive",
        StageOperations.Refresh => "pulumi refresh --yes --non-interactive",
        // A pull request's reviewers want to see what would change, property by property.
        _ when stage.On.PullRequest is not null => "pulumi preview --diff --non-interactive",
        _ => "pulumi preview --non-interactive",
    };

    private static void Phase(StringBuilder yaml, string name, IEnumerable<string> commands)
    {
        yaml.Append("  ").Append(name).Append(":\n");
        yaml.Append("    commands:\n");
        foreach (var command in commands)
        {
            yaml.Append("      - ").Append(YamlScalar(command)).Append('\n');
        }
    }

    private static string? WorkDirectory(string? workDir)
    {
        var trimmed = workDir?.Trim().TrimEnd('/');
        return string.IsNullOrEmpty(trimmed) || trimmed == "." ? null : trimmed;
    }

    /// <summary>A shell word: as is when it holds only characters the shell never interprets, else single-quoted.</summary>
    internal static string Shell(string word) =>
        word.Length > 0 && ShellSafe().IsMatch(word) ? word : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>A YAML scalar: plain when the plain form reads back as the same string, else single-quoted.</summary>
    internal static string YamlScalar(string text) =>
        PlainSafe().IsMatch(text) && !YamlKeyword().IsMatch(text)
            && !text.Contains(": ", StringComparison.Ordinal) && !text.Contains(" #", StringComparison.Ordinal)
            ? text
            : "'" + text.Replace("'", "''", StringComparison.Ordinal) + "'";

    [GeneratedRegex(@"^[A-Za-z0-9_./:@%+=,-]+$", RegexOptions.CultureInvariant)]
    private static partial Regex ShellSafe();

    // Starts with a letter (so no indicator character and no number, boolean or null), then only
    // printable ASCII that cannot open a flow collection, alias, tag or comment, and does not end
    // in a space or colon.
    [GeneratedRegex(@"^[A-Za-z][A-Za-z0-9 _./:@%+=,$""|'()\-]*(?<![ :])$", RegexOptions.CultureInvariant)]
    private static partial Regex PlainSafe();

    // Words a YAML 1.1 reader would take for a boolean or null rather than a string.
    [GeneratedRegex("^(y|yes|n|no|true|false|on|off|null)$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase)]
    private static partial Regex YamlKeyword();
}
