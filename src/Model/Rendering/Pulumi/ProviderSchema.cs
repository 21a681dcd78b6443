using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.Model.Rendering.Pulumi;

/// <summary>
/// The input schema of the AWS provider's resources a program uses (<c>schemas/pulumi-aws/schema.json</c>, read
/// from <c>@pulumi/aws</c>): a program's properties are checked against it the way request bodies are checked
/// against the API models: unknown property, missing required property, wrong type.
/// </summary>
public sealed class ProviderSchema
{
    private const string MapOfStrings = "pulumi.Input<{";
    private readonly JsonObject _resources;
    private readonly JsonObject _types;

    private ProviderSchema(JsonObject resources, JsonObject types)
    {
        _resources = resources;
        _types = types;
    }

    /// <summary>The schema embedded in the assembly.</summary>
    public static ProviderSchema Aws { get; } = Load();

    /// <summary>Parses a schema document (<c>resources</c> and <c>types</c>, each property <c>{type, required}</c>).</summary>
    public static ProviderSchema Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("provider schema is not a JSON object");
        return new ProviderSchema(
            root["resources"]?.AsObject() ?? throw new FormatException("provider schema has no resources"),
            root["types"]?.AsObject() ?? throw new FormatException("provider schema has no types"));
    }

    /// <summary>Every violation of a resource's properties, each as <c>&lt;path&gt;: &lt;what is wrong&gt;</c>; empty when it conforms.</summary>
    public IReadOnlyList<string> Validate(string typeToken, JsonObject properties)
    {
        var violations = new List<string>();
        if (_resources[typeToken]?["inputs"] is not JsonObject inputs)
        {
            violations.Add($"$: {typeToken} is not a resource type of the schema");
            return violations;
        }
        CheckObject(inputs, properties, "$", violations);
        return violations;
    }

    /// <summary>Every violation of every resource of a program, each prefixed with the resource's logical name.</summary>
    public IReadOnlyList<string> Validate(PulumiProgram program) =>
        program.Resources.SelectMany(r => Validate(r.Type.Token, r.Properties).Select(v => $"{r.LogicalName}: {v}")).ToList();

    private void CheckObject(JsonObject declared, JsonObject value, string path, List<string> violations)
    {
        foreach (var (name, member) in value)
        {
            if (declared[name] is not JsonObject property)
            {
                violations.Add($"{path}.{name}: no such property");
                continue;
            }
            CheckValue(((string?)property["type"] ?? "").Replace("|undefined", "", StringComparison.Ordinal), member, $"{path}.{name}", violations);
        }
        foreach (var (name, property) in declared)
        {
            if ((bool?)property?["required"] == true && value[name] is null)
            {
                violations.Add($"{path}.{name}: required property missing");
            }
        }
    }

    private void CheckValue(string type, JsonNode? value, string path, List<string> violations)
    {
        if (value is null)
        {
            violations.Add($"{path}: null where {type} is expected");
            return;
        }
        if (type.EndsWith("[]", StringComparison.Ordinal))
        {
            if (value is not JsonArray array)
            {
                violations.Add($"{path}: expected an array of {type[..^2]}, got {Kind(value)}");
                return;
            }
            for (var i = 0; i < array.Count; i++)
            {
                CheckValue(type[..^2], array[i], $"{path}[{i}]", violations);
            }
            return;
        }
        if (type.StartsWith(MapOfStrings, StringComparison.Ordinal))
        {
            if (value is not JsonObject map)
            {
                violations.Add($"{path}: expected a map of strings, got {Kind(value)}");
                return;
            }
            foreach (var (key, entry) in map)
            {
                CheckValue("string", entry, $"{path}.{key}", violations);
            }
            return;
        }
        if (_types[type] is JsonObject declared)
        {
            if (value is JsonObject obj)
            {
                CheckObject(declared, obj, path, violations);
            }
            else
            {
                violations.Add($"{path}: expected an object ({type}), got {Kind(value)}");
            }
            return;
        }
        var expected = type switch
        {
            "string" => JsonValueKind.String,
            "number" => JsonValueKind.Number,
            "boolean" => JsonValueKind.True,
            _ => JsonValueKind.Undefined,
        };
        if (expected == JsonValueKind.Undefined)
        {
            violations.Add($"{path}: the schema's type {type} is not understood");
            return;
        }
        var actual = value.GetValueKind();
        if (actual != expected && !(expected == JsonValueKind.True && actual == JsonValueKind.False))
        {
            violations.Add($"{path}: expected {type}, got {Kind(value)}");
        }
    }

    private static string Kind(JsonNode value) => value.GetValueKind() switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        _ => "null",
    };

    private static ProviderSchema Load()
    {
        using var stream = typeof(ProviderSchema).Assembly.GetManifestResourceStream("schemas/pulumi-aws/schema.json")
            ?? throw new InvalidOperationException("the provider schema is not embedded");
        using var reader = new StreamReader(stream);
        return Parse(reader.ReadToEnd());
    }
}
