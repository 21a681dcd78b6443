namespace Reconciler.Model.Documents;

/// <summary>
/// Where the Pulumi access token lives: a Parameter Store parameter or a Secrets Manager secret, named (never
/// given). CodeBuild reads it when a build starts; the controller only checks that it exists.
/// </summary>
public sealed record AccessTokenSpec
{
    /// <summary>A Parameter Store parameter name, e.g. <c>/pulumi/access-token</c>.</summary>
    public string? Parameter { get; init; }

    /// <summary>A Secrets Manager secret: its name or full ARN.</summary>
    public string? Secret { get; init; }

    /// <summary>With a secret: the key whose value is the token when the secret holds a JSON object.</summary>
    public string? JsonKey { get; init; }

    /// <summary>With a secret: the staging label of the version to read (Secrets Manager's default is AWSCURRENT).</summary>
    public string? VersionStage { get; init; }

    /// <summary>With a secret: the id of the version to read.</summary>
    public string? VersionId { get; init; }

    /// <summary>True when the token is a Secrets Manager secret, false for a Parameter Store parameter.</summary>
    public bool IsSecret() => Secret is not null;

    /// <summary>The CodeBuild environment variable type that resolves this reference.</summary>
    public string CodeBuildType() => IsSecret() ? "SECRETS_MANAGER" : "PARAMETER_STORE";

    /// <summary>
    /// The CodeBuild environment variable value: the parameter name, or the secret in CodeBuild's
    /// <c>secret-id:json-key:version-stage:version-id</c> form with the empty parts at the end left out.
    /// </summary>
    public string CodeBuildValue()
    {
        if (!IsSecret())
        {
            return Parameter ?? "";
        }
        string[] parts = [Secret ?? "", JsonKey ?? "", VersionStage ?? "", VersionId ?? ""];
        var last = parts.Length - 1;
        while (last > 0 && parts[last].Length == 0)
        {
            last--;
        }
        return string.Join(':', parts, 0, last + 1);
    }

    /// <summary>What the token check asks about (and remembers answers by): the store and the name, never a value.</summary>
    public string Key() => IsSecret() ? $"secretsmanager:{CodeBuildValue()}" : $"ssm:{Parameter}";

    /// <summary>The reference for status messages and logs: it names where the token is, never the token.</summary>
    public override string ToString() => IsSecret() ? $"Secrets Manager secret {CodeBuildValue()}" : $"Parameter Store parameter {Parameter}";
}
