namespace Reconciler.LocalCloud.State;

/// <summary>A Secrets Manager secret's metadata. LocalCloud keeps no secret values: DescribeSecret never returns one.</summary>
/// <param name="VersionIdsToStages">Each version id with its staging labels (AWSCURRENT, ...).</param>
/// <param name="DeletedDate">Set when the secret is scheduled for deletion; builds can no longer read it.</param>
public sealed record StoredSecret(
    string Name, string Arn, double CreatedDate, double LastChangedDate,
    IReadOnlyDictionary<string, IReadOnlyList<string>> VersionIdsToStages, double? DeletedDate = null, string? Description = null);
