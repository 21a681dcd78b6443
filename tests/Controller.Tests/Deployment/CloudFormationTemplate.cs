using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// A CloudFormation YAML template read into JSON (short-form tags such as <c>!Ref</c>, <c>!Sub</c>, <c>!GetAtt</c> become
/// their long forms) and evaluated for one set of parameter values the way CloudFormation would: conditions, <c>Fn::If</c>,
/// <c>Ref</c>, <c>Fn::Sub</c>, <c>Fn::Join</c>, <c>AWS::NoValue</c>, resources whose condition is false dropped.
/// </summary>
internal sealed class CloudFormationTemplate
{
    public const string Region = "us-east-1";
    public const string Account = "111122223333";
    public const string StackName = "reconciler";

    private static readonly JsonObject NoValue = new() { ["NoValue"] = true };
    private readonly JsonObject _template;
    private readonly Dictionary<string, JsonNode?> _parameters = [];
    private readonly Dictionary<string, bool> _conditions = [];

    private CloudFormationTemplate(JsonObject template, IReadOnlyDictionary<string, string> values)
    {
        _template = template;
        foreach (var (name, declaration) in template["Parameters"]!.AsObject())
        {
            var text = values.TryGetValue(name, out var given) ? given : (string?)declaration!["Default"]
                ?? throw new ArgumentException($"parameter {name} has no default and no value");
            Check(name, declaration!.AsObject(), text);
            var type = (string)declaration["Type"]!;
            _parameters[name] = type.StartsWith("List<", StringComparison.Ordinal) || type == "CommaDelimitedList"
                ? new JsonArray([.. text.Split(',').Select(v => (JsonNode)JsonValue.Create(v.Trim()))])
                : JsonValue.Create(text);
        }
        foreach (var (name, _) in template["Conditions"]?.AsObject() ?? [])
        {
            Condition(name);
        }
    }

    /// <summary>The template as written, intrinsics in long form.</summary>
    public JsonObject Raw => _template;

    public static JsonObject Read(string path)
    {
        var stream = new YamlStream();
        using (var reader = File.OpenText(path))
        {
            stream.Load(reader);
        }
        return (JsonObject)ToJson(stream.Documents.Single().RootNode)!;
    }

    /// <summary>The template with every intrinsic resolved for these parameter values (the others take their defaults).</summary>
    /// <exception cref="ArgumentException">A value breaks its parameter's AllowedValues or AllowedPattern, as CloudFormation would refuse it.</exception>
    public static JsonObject Evaluate(JsonObject template, IReadOnlyDictionary<string, string> values)
    {
        var evaluator = new CloudFormationTemplate(template, values);
        var resources = new JsonObject();
        foreach (var (name, resource) in template["Resources"]!.AsObject())
        {
            if (resource!["Condition"] is { } condition && !evaluator.Condition((string)condition!))
            {
                continue;
            }
            resources[name] = evaluator.Resolve(resource);
        }
        return new JsonObject { ["Resources"] = resources, ["Outputs"] = evaluator.Resolve(template["Outputs"]) };
    }

    private static void Check(string name, JsonObject declaration, string value)
    {
        if (declaration["AllowedValues"] is JsonArray allowed && !allowed.Any(a => (string?)a == value))
        {
            throw new ArgumentException($"parameter {name}: '{value}' is not one of the allowed values");
        }
        if (declaration["AllowedPattern"] is { } pattern && !Regex.IsMatch(value, (string)pattern!))
        {
            throw new ArgumentException($"parameter {name}: '{value}' does not match {pattern}");
        }
    }

    private static JsonNode? ToJson(YamlNode node)
    {
        JsonNode? value = node switch
        {
            YamlMappingNode map => new JsonObject(map.Children.Select(p => KeyValuePair.Create(((YamlScalarNode)p.Key).Value!, ToJson(p.Value)))),
            YamlSequenceNode sequence => new JsonArray([.. sequence.Children.Select(ToJson)]),
            YamlScalarNode scalar => JsonValue.Create(scalar.Value ?? ""),
            _ => throw new InvalidOperationException(node.NodeType.ToString()),
        };
        var tag = node.Tag.IsEmpty ? null : node.Tag.Value;
        return tag switch
        {
            null or "tag:yaml.org,2002:str" => value,
            "!Ref" => new JsonObject { ["Ref"] = value },
            "!Condition" => new JsonObject { ["Condition"] = value },
            "!GetAtt" when value is JsonValue text => new JsonObject { ["Fn::GetAtt"] = new JsonArray([.. ((string)text!).Split('.', 2).Select(p => (JsonNode)JsonValue.Create(p))]) },
            _ when tag.StartsWith('!') => new JsonObject { [$"Fn::{tag[1..]}"] = value },
            _ => throw new InvalidOperationException($"unknown YAML tag {tag}"),
        };
    }

    private bool Condition(string name)
    {
        if (!_conditions.TryGetValue(name, out var value))
        {
            var definition = _template["Conditions"]?[name] ?? throw new InvalidOperationException($"no condition {name}");
            _conditions[name] = value = Truth(definition);
        }
        return value;
    }

    private bool Truth(JsonNode node)
    {
        var (function, argument) = node.AsObject().Single();
        var arguments = argument as JsonArray;
        return function switch
        {
            "Condition" => Condition((string)argument!),
            "Fn::Equals" => JsonNode.DeepEquals(Resolve(arguments![0]), Resolve(arguments[1])),
            "Fn::Not" => !Truth(arguments![0]!),
            "Fn::And" => arguments!.All(a => Truth(a!)),
            "Fn::Or" => arguments!.Any(a => Truth(a!)),
            _ => throw new InvalidOperationException($"{function} is not a condition function"),
        };
    }

    private JsonNode? Resolve(JsonNode? node)
    {
        switch (node)
        {
            case JsonArray array:
                return new JsonArray([.. array.Select(Resolve).Where(v => !ReferenceEquals(v, NoValue))]);
            case JsonObject map when map.Count == 1 && map.Single() is var (key, argument) && (key == "Ref" || key.StartsWith("Fn::", StringComparison.Ordinal)):
                return Intrinsic(key, argument);
            case JsonObject map:
                var result = new JsonObject();
                foreach (var (key, value) in map)
                {
                    var resolved = Resolve(value);
                    if (!ReferenceEquals(resolved, NoValue))
                    {
                        result[key] = resolved;
                    }
                }
                return result;
            default:
                return node?.DeepClone();
        }
    }

    private JsonNode? Intrinsic(string function, JsonNode? argument)
    {
        var arguments = argument as JsonArray;
        switch (function)
        {
            case "Ref":
                return Reference((string)argument!);
            case "Fn::GetAtt":
                return JsonValue.Create(Attribute((string)arguments![0]!, (string)arguments[1]!));
            case "Fn::If":
                return Resolve(Condition((string)arguments![0]!) ? arguments[1] : arguments[2]);
            case "Fn::Join":
                return JsonValue.Create(string.Join((string)arguments![0]!, ((JsonArray)Resolve(arguments[1])!).Select(v => (string)v!)));
            case "Fn::Select":
                return Resolve(((JsonArray)Resolve(arguments![1])!)[int.Parse((string)arguments[0]!, System.Globalization.CultureInfo.InvariantCulture)]);
            case "Fn::Sub":
                var text = arguments is null ? (string)argument! : (string)arguments[0]!;
                var variables = arguments is null ? [] : arguments[1]!.AsObject().ToDictionary(p => p.Key, p => (string)Resolve(p.Value)!);
                return JsonValue.Create(Regex.Replace(text, @"\$\{(!?)([^}]+)\}", match =>
                    match.Groups[1].Value == "!" ? "${" + match.Groups[2].Value + "}"
                    : variables.TryGetValue(match.Groups[2].Value, out var variable) ? variable
                    : match.Groups[2].Value.Contains('.', StringComparison.Ordinal) && !match.Groups[2].Value.StartsWith("AWS::", StringComparison.Ordinal)
                        ? Attribute(match.Groups[2].Value.Split('.', 2)[0], match.Groups[2].Value.Split('.', 2)[1])
                        : (string)Reference(match.Groups[2].Value)!));
            default:
                throw new InvalidOperationException($"the test's evaluator does not know {function}");
        }
    }

    private JsonNode? Reference(string name) => name switch
    {
        "AWS::NoValue" => NoValue,
        "AWS::Region" => JsonValue.Create(Region),
        "AWS::AccountId" => JsonValue.Create(Account),
        "AWS::Partition" => JsonValue.Create("aws"),
        "AWS::StackName" => JsonValue.Create(StackName),
        _ when _parameters.TryGetValue(name, out var value) => value?.DeepClone(),
        _ when _template["Resources"]![name] is { } resource => JsonValue.Create(PhysicalId(name, resource)),
        _ => throw new InvalidOperationException($"Ref to unknown {name}"),
    };

    // What Ref answers for the resource types of this template: the name the template gives it, else the logical id.
    private string PhysicalId(string name, JsonNode resource) => (string)resource["Type"]! switch
    {
        "AWS::DynamoDB::Table" => (string)Resolve(resource["Properties"]!["TableName"])!,
        "AWS::Logs::LogGroup" => (string)Resolve(resource["Properties"]!["LogGroupName"])!,
        _ => name,
    };

    private string Attribute(string resource, string attribute)
    {
        var declaration = _template["Resources"]![resource] ?? throw new InvalidOperationException($"GetAtt of unknown resource {resource}");
        var id = PhysicalId(resource, declaration);
        return ((string)declaration["Type"]!, attribute) switch
        {
            ("AWS::DynamoDB::Table", "Arn") => $"arn:aws:dynamodb:{Region}:{Account}:table/{id}",
            ("AWS::DynamoDB::Table", "StreamArn") => $"arn:aws:dynamodb:{Region}:{Account}:table/{id}/stream/2026-01-01T00:00:00.000",
            ("AWS::Logs::LogGroup", "Arn") => $"arn:aws:logs:{Region}:{Account}:log-group:{id}",
            ("AWS::IAM::Role", "Arn") => $"arn:aws:iam::{Account}:role/{StackName}-{id}",
            (_, "Name") => id,
            _ => throw new InvalidOperationException($"the test's evaluator does not know {resource}.{attribute}"),
        };
    }
}
