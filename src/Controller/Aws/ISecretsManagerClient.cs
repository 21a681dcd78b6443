namespace Reconciler.Controller.Aws;

/// <summary>Secrets Manager metadata only: the controller learns whether a secret (and a version of it) exists, never its value.</summary>
public interface ISecretsManagerClient
{
    /// <summary>The secret's metadata (DescribeSecret), or null when there is no such secret.</summary>
    Task<SecretMetadata?> DescribeSecretAsync(string secretId, CancellationToken cancellationToken);
}

/// <summary>What DescribeSecret says of a secret: its ARN and name, whether it is scheduled for deletion, and its versions' staging labels.</summary>
public sealed record SecretMetadata(string Arn, string Name, bool ScheduledForDeletion, IReadOnlyDictionary<string, IReadOnlyList<string>> VersionIdsToStages)
{
    /// <summary>Whether a build could read this secret at the given version stage or id (none given: AWSCURRENT).</summary>
    public bool Readable(string? versionStage, string? versionId)
    {
        if (ScheduledForDeletion)
        {
            return false;
        }
        if (versionId is not null && !VersionIdsToStages.ContainsKey(versionId))
        {
            return false;
        }
        var stage = versionStage ?? (versionId is null ? "AWSCURRENT" : null);
        return stage is null
            || VersionIdsToStages.Where(v => versionId is null || v.Key == versionId).Any(v => v.Value.Contains(stage, StringComparer.Ordinal));
    }
}
