using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Reconciler.Model.Rendering.Pulumi;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Reconciler.PulumiStandIn;

/// <summary>A resource of the program as the YAML language host reads it: type, literal properties, options.</summary>
/// <param name="Import">The <c>import</c> option: the id of an existing resource to adopt when the state has none of this name.</param>
internal sealed record ProgramResource(string Name, PulumiResourceType Type, JsonObject Properties, IReadOnlyList<string> DependsOn, bool RetainOnDelete, string? Import = null);

/// <summary>
/// The project folder the CLI runs in: <c>Pulumi.yaml</c> (name, runtime, the YAML program) and each stack's
/// <c>Pulumi.&lt;stack&gt;.yaml</c> (its config).
/// </summary>
internal sealed class ProjectFolder(string path)
{
    public string Path { get; } = path;

    public JsonObject Project
    {
        get
        {
            var file = System.IO.Path.Combine(Path, "Pulumi.yaml");
            if (!File.Exists(file))
            {
                throw new StandInException($"no Pulumi.yaml project file found (searching upwards from {Path}). If you have not created a project yet, use `pulumi new` to do so");
            }
            return ReadYaml(File.ReadAllText(file));
        }
    }

    public string ProjectName => (string?)Project["name"] ?? throw new StandInException("project is missing a 'name' attribute");

    /// <summary>The program's resources in declaration order, checked against the provider schema as the language host checks them.</summary>
    public IReadOnlyList<ProgramResource> Resources()
    {
        var project = Project;
        if ((string?)project["runtime"] != "yaml")
        {
            throw new StandInException($"the stand-in runs only YAML programs, not runtime '{(string?)project["runtime"]}'");
        }
        var resources = new List<ProgramResource>();
        foreach (var (name, node) in (project["resources"] as JsonObject) ?? [])
        {
            var typeToken = (string?)node?["type"] ?? "";
            var type = PulumiResourceType.Find(typeToken)
                ?? throw new StandInException($"Pulumi.yaml: resources.{name}.type: unable to find resource type '{typeToken}' in the stand-in's AWS provider");
            var properties = (JsonObject)Literal((node!["properties"] ?? new JsonObject()).DeepClone(), $"resources.{name}.properties")!;
            var violations = ProviderSchema.Aws.Validate(type.Token, properties);
            if (violations.Count > 0)
            {
                throw new StandInException($"Pulumi.yaml: resources.{name}: " + string.Join("; ", violations));
            }
            var options = node["options"] as JsonObject;
            var dependsOn = ((options?["dependsOn"] as JsonArray) ?? []).Select(d =>
            {
                var text = (string?)d ?? "";
                return text.StartsWith("${", StringComparison.Ordinal) && text.EndsWith('}') ? text[2..^1]
                    : throw new StandInException($"Pulumi.yaml: resources.{name}.options.dependsOn: expected a resource reference ${{name}}, got '{text}'");
            }).ToList();
            resources.Add(new ProgramResource(name, type, properties, dependsOn, (bool?)options?["retainOnDelete"] ?? false, (string?)options?["import"]));
        }
        foreach (var resource in resources)
        {
            foreach (var dependency in resource.DependsOn.Where(d => resources.All(r => r.Name != d)))
            {
                throw new StandInException($"Pulumi.yaml: resources.{resource.Name}.options.dependsOn: resource '{dependency}' does not exist");
            }
        }
        return resources;
    }

    public string ConfigFile(string stack) => System.IO.Path.Combine(Path, $"Pulumi.{stack}.yaml");

    /// <summary>The stack's config, <c>namespace:key</c> → value (a secret as <c>{"secure": ...}</c>).</summary>
    public JsonObject Config(string stack)
    {
        var file = ConfigFile(stack);
        return File.Exists(file) && ReadYaml(File.ReadAllText(file))["config"] is JsonObject config ? config : [];
    }

    // The config read from the file still hangs on that file's document: a copy goes into the new one.
    public void SaveConfig(string stack, JsonObject config) =>
        File.WriteAllText(ConfigFile(stack), PulumiYamlText.Write(new JsonObject { ["config"] = config.DeepClone() }));

    /// <summary>Secrets are stored as <c>secure:</c> values; the stand-in's "encryption" is only an encoding, never printed.</summary>
    public static JsonObject Secure(string value) => new() { ["secure"] = "v1:" + Convert.ToBase64String(Encoding.UTF8.GetBytes(value)) };

    public static string Reveal(JsonNode? value) => value is JsonObject { } secure && (string?)secure["secure"] is { } cipher
        ? Encoding.UTF8.GetString(Convert.FromBase64String(cipher[3..]))
        : (string?)value ?? "";

    // A YAML string's literal text: "$$" is one "$"; an unescaped "${" would be an expression the stand-in does not evaluate.
    private static JsonNode? Literal(JsonNode? node, string path) => node switch
    {
        JsonObject obj => new JsonObject(obj.Select(p => KeyValuePair.Create(p.Key, Literal(p.Value, $"{path}.{p.Key}")))),
        JsonArray array => new JsonArray(array.Select((i, n) => Literal(i, $"{path}[{n}]")).ToArray()),
        JsonValue v when v.GetValueKind() == System.Text.Json.JsonValueKind.String => JsonValue.Create(Unescape(v.GetValue<string>(), path)),
        _ => node?.DeepClone(),
    };

    private static string Unescape(string text, string path)
    {
        var result = new StringBuilder(text.Length);
        for (var i = 0; i < text.Length; i++)
        {
            if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '$')
            {
                result.Append('$');
                i++;
            }
            else if (text[i] == '$' && i + 1 < text.Length && text[i + 1] == '{')
            {
                throw new StandInException($"Pulumi.yaml: {path}: the stand-in does not evaluate expressions (found '${{')");
            }
            else
            {
                result.Append(text[i]);
            }
        }
        return result.ToString();
    }

    internal static JsonObject ReadYaml(string text)
    {
        var stream = new YamlStream();
        try
        {
            stream.Load(new StringReader(text));
        }
        catch (YamlException ex)
        {
            throw new StandInException($"could not parse YAML: {ex.Message}");
        }
        return stream.Documents.Count == 0 ? [] : ToJson(stream.Documents[0].RootNode) as JsonObject ?? [];
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value ?? "", ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: ScalarStyle.Plain } scalar => scalar.Value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" or "" => null,
            var s when long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            var s when double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) && s.Any(char.IsDigit) && !s.Any(char.IsLetter) => JsonValue.Create(d),
            var s => JsonValue.Create(s),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
        _ => null,
    };
}
