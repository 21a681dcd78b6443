namespace Reconciler.Controller.Aws;

/// <summary>Secrets Manager metadata through DescribeSecret; the client has no way to read a secret's value.</summary>
public sealed class SecretsManagerClient(AwsJsonClient client) : ISecretsManagerClient
{
    private static AwsPascalWireJsonContext Json => AwsPascalWireJsonContext.Default;

    public async Task<SecretMetadata?> DescribeSecretAsync(string secretId, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(secretId);
        try
        {
            var response = await client.SendAsync("DescribeSecret", new DescribeSecretRequest(secretId), Json.DescribeSecretRequest, Json.DescribeSecretResponse, cancellationToken).ConfigureAwait(false);
            return new SecretMetadata(response.ARN ?? "", response.Name ?? "", response.DeletedDate is not null,
                response.VersionIdsToStages ?? new Dictionary<string, IReadOnlyList<string>>());
        }
        catch (AwsApiException e) when (e.ErrorCode == "ResourceNotFoundException")
        {
            return null;
        }
    }
}
