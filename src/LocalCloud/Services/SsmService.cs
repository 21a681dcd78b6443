using System.Text.Json.Nodes;
using Reconciler.LocalCloud.State;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.LocalCloud.Services;

/// <summary>The two Parameter Store operations the demo needs: PutParameter (to create the token parameter) and DescribeParameters (metadata only).</summary>
/// <remarks>Values are accepted and dropped: nothing LocalCloud serves returns a value, so it never holds a secret.</remarks>
internal sealed class SsmService(CloudState state) : AwsJsonService(ApiModels.Ssm, "SSM", errorNamespace: null)
{
    private const int DefaultMaxResults = 10;

    protected override IEnumerable<KeyValuePair<string, Func<JsonObject, JsonObject>>> CreateHandlers() =>
    [
        Op("PutParameter", PutParameter),
        Op("DescribeParameters", DescribeParameters),
    ];

    private JsonObject PutParameter(JsonObject input)
    {
        var name = input.String("Name");
        var overwrite = input.Bool("Overwrite");
        if (overwrite && input["Tags"] is not null)
        {
            throw ValidationError(["$.Tags: tags cannot be given together with Overwrite; use AddTagsToResource"]);
        }
        var stored = state.Write(d =>
        {
            d.Parameters.TryGetValue(name, out var current);
            if (current is not null && !overwrite)
            {
                throw Error("ParameterAlreadyExists", "The parameter already exists. To overwrite this request, set the overwrite option in the request to true.");
            }
            var type = input.OptionalString("Type") ?? current?.Type
                ?? throw ValidationError(["$.Type: a parameter type is required when a parameter is created"]);
            var parameter = new StoredParameter(
                name, type, (current?.Version ?? 0) + 1, state.Now(),
                input.OptionalString("Tier") ?? current?.Tier ?? "Standard",
                input.OptionalString("DataType") ?? current?.DataType ?? "text",
                input.OptionalString("Description") ?? current?.Description);
            d.Parameters[name] = parameter;
            return parameter;
        });
        return new JsonObject { ["Version"] = stored.Version, ["Tier"] = stored.Tier };
    }

    private JsonObject DescribeParameters(JsonObject input)
    {
        var filters = ParameterFilters(input).ToList();
        var offset = PageToken.Decode(input.OptionalString("NextToken"), () => Error("InvalidNextToken", "The specified token is not valid."));
        var matching = state.Read(d => d.Parameters.Values.Where(p => filters.All(f => f(p))).ToList());
        var (page, next) = PageToken.Page(matching, offset, input.OptionalInt("MaxResults") ?? DefaultMaxResults);
        var output = new JsonObject { ["Parameters"] = page.Select(Metadata).ToJsonArray() };
        if (next is not null)
        {
            output["NextToken"] = next;
        }
        return output;
    }

    /// <summary>Name (Equals, BeginsWith), Type (Equals) and Path (OneLevel, Recursive) filters, plus the legacy Filters (Name, Type).</summary>
    private IEnumerable<Func<StoredParameter, bool>> ParameterFilters(JsonObject input)
    {
        foreach (var filter in input["ParameterFilters"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var key = filter.String("Key");
            var option = filter.OptionalString("Option");
            var values = filter.Strings("Values");
            if (values.Count == 0)
            {
                throw Error("InvalidFilterValue", $"The filter {key} needs at least one value.");
            }
            yield return (key, option ?? (key == "Path" ? "OneLevel" : "Equals")) switch
            {
                ("Name", "Equals") => p => values.Contains(p.Name, StringComparer.Ordinal),
                ("Name", "BeginsWith") => p => values.Any(v => p.Name.StartsWith(v, StringComparison.Ordinal)),
                ("Type", "Equals") => p => values.Contains(p.Type, StringComparer.Ordinal),
                ("Path", "OneLevel") => p => values.Any(v => Parent(p.Name) == v.TrimEnd('/')),
                ("Path", "Recursive") => p => values.Any(v => p.Name.StartsWith(v.TrimEnd('/') + "/", StringComparison.Ordinal)),
                ("Name" or "Type" or "Path", _) => throw Error("InvalidFilterOption", $"The option {option} is not valid for the filter {key}."),
                _ => throw Error("InvalidFilterKey", $"LocalCloud does not support the filter key {key}."),
            };
        }
        foreach (var filter in input["Filters"]?.AsArray().OfType<JsonObject>() ?? [])
        {
            var key = filter.String("Key");
            var values = filter.Strings("Values");
            yield return key switch
            {
                "Name" => p => values.Any(v => p.Name.StartsWith(v, StringComparison.Ordinal)),
                "Type" => p => values.Contains(p.Type, StringComparer.Ordinal),
                _ => throw Error("InvalidFilterKey", $"LocalCloud does not support the filter key {key}."),
            };
        }
    }

    private JsonNode Metadata(StoredParameter p)
    {
        var metadata = new JsonObject
        {
            ["Name"] = p.Name,
            ["ARN"] = state.Arns.Parameter(p.Name),
            ["Type"] = p.Type,
            ["LastModifiedDate"] = p.LastModifiedDate,
            ["LastModifiedUser"] = $"arn:aws:iam::{state.Arns.AccountId}:user/localcloud",
            ["Version"] = p.Version,
            ["Tier"] = p.Tier,
            ["DataType"] = p.DataType,
            ["Policies"] = new JsonArray(),
        };
        if (p.Description is not null)
        {
            metadata["Description"] = p.Description;
        }
        return metadata;
    }

    private static string Parent(string name)
    {
        var slash = name.LastIndexOf('/');
        return slash <= 0 ? "/" : name[..slash];
    }
}
