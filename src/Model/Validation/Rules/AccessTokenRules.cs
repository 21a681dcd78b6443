using System.Text.RegularExpressions;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.pulumi.accessToken (a Parameter Store parameter or a Secrets Manager secret) and its short form accessTokenParameter.</summary>
internal static partial class AccessTokenRules
{
    private const string PulumiPath = "$.spec.pulumi";
    private const string TokenPath = "$.spec.pulumi.accessToken";

    /// <summary>Secrets Manager's limit on a secret's name (CreateSecret's <c>NameType</c>).</summary>
    public const int SecretNameMaxLength = 512;

    /// <summary>Secrets Manager's limits on a version id (<c>SecretVersionIdType</c>) and a staging label (<c>SecretVersionStageType</c>).</summary>
    public const int VersionIdMinLength = 32, VersionIdMaxLength = 64, VersionStageMaxLength = 256;

    // CodeBuild splits the reference at ':' after the secret id, so no part may hold one; a secret name is
    // ASCII letters, digits and /_+=.@- (Secrets Manager's rule).
    [GeneratedRegex(@"^[A-Za-z0-9/_+=.@\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretName();

    [GeneratedRegex(@"^arn:aws(-[a-z]+)*:secretsmanager:[a-z]{2}(-[a-z]+)+-[0-9]+:[0-9]{12}:secret:[A-Za-z0-9/_+=.@\-]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex SecretArn();

    public static void Check(RuleContext context, PulumiSettings pulumi)
    {
        var shortForm = !string.IsNullOrEmpty(pulumi.AccessTokenParameter);
        if (pulumi.AccessToken is not { } token)
        {
            if (shortForm)
            {
                ParameterStoreRules.Check(context, JsonPath.Field(PulumiPath, "accessTokenParameter"), pulumi.AccessTokenParameter,
                    "the Parameter Store name of the Pulumi access token");
            }
            else
            {
                context.Add(PulumiPath,
                    "required: where the Pulumi access token lives; set accessToken to { \"parameter\": \"/pulumi/access-token\" } or { \"secret\": \"<name or ARN>\" }, or accessTokenParameter (the short form of a parameter)");
            }
            return;
        }
        if (shortForm)
        {
            context.Add(JsonPath.Field(PulumiPath, "accessTokenParameter"),
                "accessTokenParameter is the short form of accessToken.parameter; give one of them, not both");
        }
        switch (token.Parameter, token.Secret)
        {
            case (null, null):
                context.Add(TokenPath, "no token reference; set exactly one of parameter (Parameter Store) or secret (Secrets Manager)");
                return;
            case ({ }, { }):
                context.Add(TokenPath, "both parameter and secret; set exactly one of parameter (Parameter Store) or secret (Secrets Manager)");
                return;
            case ({ } parameter, null):
                ParameterStoreRules.Check(context, JsonPath.Field(TokenPath, "parameter"), parameter, "the Parameter Store name of the Pulumi access token");
                foreach (var (field, value) in SecretOnly(token))
                {
                    if (value is not null)
                    {
                        context.Add(JsonPath.Field(TokenPath, field), $"{field} applies to a Secrets Manager secret, not to a parameter; remove it or use secret");
                    }
                }
                return;
            case (null, { } secret):
                CheckSecret(context, token, secret);
                return;
        }
    }

    private static IEnumerable<(string Field, string? Value)> SecretOnly(AccessTokenSpec token) =>
        [("jsonKey", token.JsonKey), ("versionStage", token.VersionStage), ("versionId", token.VersionId)];

    private static void CheckSecret(RuleContext context, AccessTokenSpec token, string secret)
    {
        var path = JsonPath.Field(TokenPath, "secret");
        const string Allowed = "use the secret's name (1-512 of A-Z, a-z, 0-9 and \"/_+=.@-\") or its full ARN (arn:aws:secretsmanager:<region>:<12-digit account>:secret:<name>-<6 characters>)";
        if (secret.StartsWith("arn:", StringComparison.Ordinal))
        {
            if (!SecretArn().IsMatch(secret))
            {
                context.Add(path, $"{Quoted.Text(secret)} is not a Secrets Manager secret ARN; {Allowed}");
            }
        }
        else if (secret.Length == 0 || secret.Length > SecretNameMaxLength || !SecretName().IsMatch(secret))
        {
            var problem = secret.Length == 0 ? "it is empty" : secret.Length > SecretNameMaxLength ? $"it is {secret.Length} characters long" : "it has characters a secret name cannot hold";
            context.Add(path, $"{Quoted.Text(secret)} is not a valid Secrets Manager secret name: {problem}; {Allowed}");
        }
        if (token.JsonKey is { } key && (key.Length == 0 || key.Contains(':', StringComparison.Ordinal)))
        {
            context.Add(JsonPath.Field(TokenPath, "jsonKey"),
                $"{Quoted.Text(key)} cannot be a JSON key of the reference: CodeBuild reads secret-id:json-key:version-stage:version-id, so the key must be non-empty and hold no \":\"");
        }
        if (token.VersionStage is { } stage && (stage.Length == 0 || stage.Length > VersionStageMaxLength || stage.Contains(':', StringComparison.Ordinal)))
        {
            context.Add(JsonPath.Field(TokenPath, "versionStage"),
                $"{Quoted.Text(stage)} is not a staging label; use 1-{VersionStageMaxLength} characters without \":\", such as \"AWSCURRENT\" or \"AWSPREVIOUS\"");
        }
        if (token.VersionId is { } id && (id.Length < VersionIdMinLength || id.Length > VersionIdMaxLength || id.Contains(':', StringComparison.Ordinal)))
        {
            context.Add(JsonPath.Field(TokenPath, "versionId"),
                $"{Quoted.Text(id)} is not a secret version id; Secrets Manager's ids are {VersionIdMinLength}-{VersionIdMaxLength} characters without \":\" (a UUID)");
        }
    }
}
