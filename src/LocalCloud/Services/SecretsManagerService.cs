using System.Text.Json.Nodes;
using Reconciler.LocalCloud.State;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.LocalCloud.Services;

/// <summary>Secrets Manager's DescribeSecret: a secret's metadata (ARN, name, versions and their stages, deletion), never its value.</summary>
/// <remarks>Secrets are seeded through <c>--secret</c>, the admin API or <see cref="CloudState.AddSecret"/>; LocalCloud never holds a value.</remarks>
internal sealed class SecretsManagerService(CloudState state) : AwsJsonService(ApiModels.SecretsManager, "SecretsManager", errorNamespace: null)
{
    protected override IEnumerable<KeyValuePair<string, Func<JsonObject, JsonObject>>> CreateHandlers() =>
    [
        Op("DescribeSecret", DescribeSecret),
    ];

    private JsonObject DescribeSecret(JsonObject input)
    {
        var secret = state.FindSecret(input.String("SecretId"))
            ?? throw Error("ResourceNotFoundException", "Secrets Manager can't find the specified secret.");
        var versions = new JsonObject();
        foreach (var (id, stages) in secret.VersionIdsToStages)
        {
            versions[id] = stages.ToJsonArray();
        }
        var output = new JsonObject
        {
            ["ARN"] = secret.Arn,
            ["Name"] = secret.Name,
            ["CreatedDate"] = secret.CreatedDate,
            ["LastChangedDate"] = secret.LastChangedDate,
            ["RotationEnabled"] = false,
            ["VersionIdsToStages"] = versions,
        };
        if (secret.Description is not null)
        {
            output["Description"] = secret.Description;
        }
        if (secret.DeletedDate is { } deleted)
        {
            output["DeletedDate"] = deleted;
        }
        return output;
    }
}
