using System.Text;
using System.Text.RegularExpressions;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>
/// spec.build.environment: names, types, and secrets. A value never appears in a message: it may be the very
/// secret the rule is about.
/// </summary>
internal static partial class EnvironmentRules
{
    public const string PulumiAccessToken = "PULUMI_ACCESS_TOKEN";
    private const string PlainText = "PLAINTEXT";

    // Whole words (split at "_" and camelCase) that say a variable holds a secret.
    private static readonly string[] SecretWords =
        ["TOKEN", "TOKENS", "PASSWORD", "PASSWORDS", "PASSWD", "PASS", "SECRET", "SECRETS", "CREDENTIAL", "CREDENTIALS",
         "CREDS", "PASSPHRASE", "APIKEY", "PRIVATEKEY"];

    // Run-together words ("GHTOKEN", "DBPASSWORD") end in these.
    private static readonly string[] SecretSuffixes = ["TOKEN", "PASSWORD", "PASSWD", "SECRET", "APIKEY", "PRIVATEKEY"];

    // Two-word phrases ("PRIVATE_KEY", "API_KEY").
    private static readonly (string, string)[] SecretPhrases =
        [("PRIVATE", "KEY"), ("API", "KEY"), ("ACCESS", "KEY"), ("SIGNING", "KEY"), ("ENCRYPTION", "KEY"), ("AUTH", "KEY")];

    // A last word that names something about a secret, not the secret (OAUTH_TOKEN_URL, DB_PASSWORD_FILE,
    // AWS_ACCESS_KEY_ID, GITHUB_TOKEN_PARAMETER): such a name is not flagged.
    private static readonly string[] AboutSecretWords =
        ["URL", "URI", "ENDPOINT", "HOST", "HOSTNAME", "PORT", "PATH", "FILE", "DIR", "NAME", "ID", "ARN", "TYPE", "HEADER",
         "TTL", "EXPIRY", "EXPIRES", "REGION", "ISSUER", "SCOPE", "SCOPES", "PARAMETER", "VERSION", "LENGTH", "ENABLED"];

    /// <summary>
    /// The annotation that lists, comma-separated, PLAINTEXT variables whose names look secret but whose values are not
    /// (an escape hatch for a name the rule misjudges).
    /// </summary>
    public const string PlainTextAnnotation = "reconciler.io/plaintext-variables";

    [GeneratedRegex(@"^[A-Za-z_][A-Za-z0-9_]*\z", RegexOptions.CultureInvariant)]
    private static partial Regex VariableName();

    /// <param name="plainText">Names the document's <see cref="PlainTextAnnotation"/> declares not secret.</param>
    public static void Check(RuleContext context, string listPath, IReadOnlyList<EnvironmentVariableSpec?>? variables, IReadOnlySet<string> plainText)
    {
        if (variables is null)
        {
            return;
        }
        var firstByName = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < variables.Count; i++)
        {
            var path = JsonPath.Item(listPath, i);
            if (variables[i] is not { } variable)
            {
                context.Add(path, "an environment variable must be an object with name and value, not null");
                continue;
            }
            var namePath = JsonPath.Field(path, "name");
            var name = variable.Name ?? "";
            var type = variable.Type ?? PlainText;
            if (!VariableName().IsMatch(name))
            {
                context.Add(namePath,
                    $"{Quoted.Text(name)} is not a valid environment variable name; use letters, digits and \"_\", not starting with a digit");
            }
            else if (!firstByName.TryAdd(name, i))
            {
                context.Add(namePath,
                    $"duplicate environment variable {Quoted.Text(name)} (also at {JsonPath.Item(listPath, firstByName[name])}); each name may be set once");
            }
            else if (name == PulumiAccessToken)
            {
                context.Add(namePath,
                    "PULUMI_ACCESS_TOKEN is set by the controller from spec.pulumi.accessToken (a PARAMETER_STORE or SECRETS_MANAGER reference); remove it from the environment");
            }
            else if (name.StartsWith("CODEBUILD_", StringComparison.OrdinalIgnoreCase))
            {
                context.Add(namePath, $"{Quoted.Text(name)}: names starting with CODEBUILD_ are reserved by CodeBuild; choose another name");
            }
            else if (type == PlainText && LooksSecret(name) && !plainText.Contains(name))
            {
                context.Add(path,
                    $"{Quoted.Text(name)} looks like a secret but is PLAINTEXT, so its value would sit in the document and the CodeBuild project; " +
                    "store it in Parameter Store and reference it with type: PARAMETER_STORE and the parameter name as value " +
                    $"(if it is not a secret, list it in the annotation {PlainTextAnnotation})");
            }
            if (!AwsApiLimits.CodeBuild.EnvironmentVariableTypes.Contains(type, StringComparer.Ordinal))
            {
                context.Add(JsonPath.Field(path, "type"),
                    $"unknown type {Quoted.Text(type)}; allowed: {Quoted.List(AwsApiLimits.CodeBuild.EnvironmentVariableTypes)}");
            }
            else if (type != PlainText && string.IsNullOrEmpty(variable.Value))
            {
                context.Add(JsonPath.Field(path, "value"),
                    $"a {type} variable needs the name of the {(type == "SECRETS_MANAGER" ? "secret" : "parameter")} as its value");
            }
        }
    }

    /// <summary>True when the variable's name says it holds a secret (GITHUB_TOKEN, dbPassword, STRIPE_API_KEY...).</summary>
    public static bool LooksSecret(string name)
    {
        var words = Words(name);
        if (words.Count > 1 && AboutSecretWords.Contains(words[^1], StringComparer.Ordinal))
        {
            return false;
        }
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (SecretWords.Contains(word, StringComparer.Ordinal)
                || SecretSuffixes.Any(s => word.Length > s.Length && word.EndsWith(s, StringComparison.Ordinal)))
            {
                return true;
            }
            if (i + 1 < words.Count && SecretPhrases.Contains((word, words[i + 1])))
            {
                return true;
            }
        }
        return false;
    }

    private static List<string> Words(string name)
    {
        var builder = new StringBuilder(name.Length + 8);
        for (var i = 0; i < name.Length; i++)
        {
            if (i > 0 && char.IsUpper(name[i]) && char.IsLower(name[i - 1]))
            {
                builder.Append('_');
            }
            builder.Append(name[i]);
        }
        return builder.ToString().ToUpperInvariant().Split('_', StringSplitOptions.RemoveEmptyEntries).ToList();
    }

    /// <summary>
    /// The names the <see cref="PlainTextAnnotation"/> lists; a listed name that is not a PLAINTEXT variable of
    /// the environment is an error, so a typo cannot silently allow nothing (or the wrong thing).
    /// </summary>
    public static IReadOnlySet<string> PlainTextAllowed(RuleContext context, IReadOnlyDictionary<string, string>? annotations, IReadOnlyList<EnvironmentVariableSpec?>? variables)
    {
        if (annotations is null || !annotations.TryGetValue(PlainTextAnnotation, out var list))
        {
            return new HashSet<string>(StringComparer.Ordinal);
        }
        var names = list.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToHashSet(StringComparer.Ordinal);
        var plain = (variables ?? []).Where(v => v is not null && (v.Type ?? PlainText) == PlainText).Select(v => v!.Name ?? "").ToHashSet(StringComparer.Ordinal);
        foreach (var name in names.Where(n => !plain.Contains(n)).Order(StringComparer.Ordinal))
        {
            context.Add(JsonPath.Field("$.metadata.annotations", PlainTextAnnotation),
                $"lists {Quoted.Text(name)}, which is not a PLAINTEXT variable of spec.build.environment; list only such variables, comma-separated");
        }
        return names;
    }
}
