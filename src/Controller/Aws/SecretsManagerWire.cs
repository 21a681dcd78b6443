namespace Reconciler.Controller.Aws;

// Request and response envelopes of Secrets Manager DescribeSecret (AWS JSON 1.1, PascalCase members as in
// secrets-manager-2017-10-17). DescribeSecret returns metadata only; the wire records have no member for a value.

internal sealed record DescribeSecretRequest(string SecretId);

internal sealed record DescribeSecretResponse(
    string? ARN,
    string? Name,
    DateTimeOffset? DeletedDate,
    IReadOnlyDictionary<string, IReadOnlyList<string>>? VersionIdsToStages);
