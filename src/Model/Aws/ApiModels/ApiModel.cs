using System.Collections.Frozen;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace Reconciler.Model.Aws.ApiModels;

/// <summary>A parsed Smithy JSON AST model of one AWS service: its operations and the constraints of its shapes.</summary>
/// <remarks>
/// It is the contract that our request bodies and LocalCloud's request checks are held to: member
/// names, required members, enum values, lengths, ranges and patterns, exactly as the model states them.
/// </remarks>
public sealed class ApiModel
{
    private readonly FrozenDictionary<string, JsonObject> _shapes;
    private readonly Dictionary<string, Regex> _patterns = new(StringComparer.Ordinal);
    private readonly Lock _patternsLock = new();

    private ApiModel(string serviceNamespace, string serviceShape, string protocol, string sdkId, string signingName, FrozenDictionary<string, JsonObject> shapes)
    {
        Namespace = serviceNamespace;
        ServiceShapeName = serviceShape;
        Protocol = protocol;
        SdkId = sdkId;
        SigningName = signingName;
        _shapes = shapes;
    }

    /// <summary>The Smithy namespace, e.g. <c>com.amazonaws.codebuild</c>.</summary>
    public string Namespace { get; }

    /// <summary>The service shape's name, which is also the <c>X-Amz-Target</c> prefix, e.g. <c>CodeBuild_20161006</c>.</summary>
    public string ServiceShapeName { get; }

    /// <summary><c>awsJson1_0</c> or <c>awsJson1_1</c>.</summary>
    public string Protocol { get; }

    public string SdkId { get; }

    /// <summary>The SigV4 signing name, e.g. <c>codebuild</c>.</summary>
    public string SigningName { get; }

    /// <summary>The <c>Content-Type</c> this service's JSON protocol uses.</summary>
    public string ContentType => Protocol == "awsJson1_0" ? "application/x-amz-json-1.0" : "application/x-amz-json-1.1";

    /// <summary>Parses a Smithy JSON AST document holding exactly one service.</summary>
    public static ApiModel Parse(string json)
    {
        var root = JsonNode.Parse(json)?.AsObject() ?? throw new FormatException("API model is not a JSON object.");
        var shapes = root["shapes"]?.AsObject() ?? throw new FormatException("API model has no shapes.");
        var byId = shapes.ToFrozenDictionary(p => p.Key, p => p.Value!.AsObject(), StringComparer.Ordinal);
        var service = byId.Single(p => (string?)p.Value["type"] == "service");
        var ns = service.Key[..service.Key.IndexOf('#', StringComparison.Ordinal)];
        var traits = service.Value["traits"]?.AsObject();
        var protocol = traits?.ContainsKey("aws.protocols#awsJson1_0") == true ? "awsJson1_0" : "awsJson1_1";
        var sdkId = (string?)traits?["aws.api#service"]?["sdkId"] ?? "";
        var signingName = (string?)traits?["aws.auth#sigv4"]?["name"] ?? (string?)traits?["aws.api#service"]?["arnNamespace"] ?? "";
        return new ApiModel(ns, service.Key[(ns.Length + 1)..], protocol, sdkId, signingName, byId);
    }

    /// <summary>The names of every operation the service has.</summary>
    public IEnumerable<string> Operations =>
        _shapes.Where(p => (string?)p.Value["type"] == "operation").Select(p => LocalName(p.Key)).Order(StringComparer.Ordinal);

    /// <summary>The input shape name of an operation, or null when it takes none.</summary>
    public string? InputShape(string operation) => TargetOf(Shape(operation)["input"]);

    /// <summary>The output shape name of an operation, or null when it returns none.</summary>
    public string? OutputShape(string operation) => TargetOf(Shape(operation)["output"]);

    /// <summary>The error shape names an operation declares.</summary>
    public IReadOnlyList<string> Errors(string operation) =>
        Shape(operation)["errors"]?.AsArray().Select(TargetOf).OfType<string>().ToList() ?? [];

    /// <summary>Whether a shape of that name exists in the service's namespace.</summary>
    public bool HasShape(string name) => _shapes.ContainsKey(Qualify(name));

    /// <summary>The values an enum shape (or a string with the enum trait) allows.</summary>
    public IReadOnlyList<string> EnumValues(string shape)
    {
        var node = Shape(shape);
        if ((string?)node["type"] == "enum")
        {
            return node["members"]!.AsObject()
                .Select(m => (string?)m.Value?["traits"]?["smithy.api#enumValue"] ?? m.Key)
                .ToList();
        }
        return node["traits"]?["smithy.api#enum"]?.AsArray().Select(e => (string)e!["value"]!).ToList() ?? [];
    }

    /// <summary>The length limits of a string, list or map shape.</summary>
    public (long? Min, long? Max) Length(string shape) => Bounds(Shape(shape)["traits"]?["smithy.api#length"]);

    /// <summary>The pattern of a string shape, or null.</summary>
    public string? Pattern(string shape) => (string?)Shape(shape)["traits"]?["smithy.api#pattern"];

    /// <summary>Checks a JSON value against a shape; returns every violation as <c>$.path: problem</c>.</summary>
    public IReadOnlyList<string> Validate(string shape, JsonNode? value)
    {
        var errors = new List<string>();
        Check(Qualify(shape), null, value, "$", errors);
        return errors;
    }

    /// <summary>Checks an operation's request body against its input shape.</summary>
    public IReadOnlyList<string> ValidateInput(string operation, JsonNode? body) =>
        InputShape(operation) is { } input ? Validate(input, body ?? new JsonObject()) : [];

    private void Check(string shapeId, JsonObject? memberTraits, JsonNode? value, string path, List<string> errors)
    {
        if (value is null)
        {
            return; // JSON null means "absent" in the AWS JSON protocols.
        }
        if (IsPrelude(shapeId, out var preludeType))
        {
            CheckScalar(preludeType, shapeId, null, memberTraits, value, path, errors);
            return;
        }
        if (!_shapes.TryGetValue(shapeId, out var shape))
        {
            errors.Add($"{path}: shape {shapeId} is not in the model");
            return;
        }
        var type = (string)shape["type"]!;
        var traits = shape["traits"]?.AsObject();
        switch (type)
        {
            case "structure":
            case "union":
                CheckStructure(shapeId, shape, type == "union", value, path, errors);
                break;
            case "list":
            case "set":
                if (value is not JsonArray array)
                {
                    errors.Add($"{path}: expected a list, got {Kind(value)}");
                    return;
                }
                CheckLength(traits, memberTraits, array.Count, path, errors, "items");
                var member = shape["member"]!.AsObject();
                for (var i = 0; i < array.Count; i++)
                {
                    if (array[i] is null)
                    {
                        errors.Add($"{path}[{i}]: null is not allowed in a list");
                        continue;
                    }
                    Check(Target(member), member["traits"]?.AsObject(), array[i], $"{path}[{i}]", errors);
                }
                break;
            case "map":
                if (value is not JsonObject map)
                {
                    errors.Add($"{path}: expected a map, got {Kind(value)}");
                    return;
                }
                CheckLength(traits, memberTraits, map.Count, path, errors, "entries");
                var key = shape["key"]!.AsObject();
                var mapValue = shape["value"]!.AsObject();
                foreach (var (k, v) in map)
                {
                    Check(Target(key), key["traits"]?.AsObject(), JsonValue.Create(k), $"{path}.{k}(key)", errors);
                    Check(Target(mapValue), mapValue["traits"]?.AsObject(), v, $"{path}.{k}", errors);
                }
                break;
            default:
                CheckScalar(type, shapeId, traits, memberTraits, value, path, errors);
                break;
        }
    }

    private void CheckStructure(string shapeId, JsonObject shape, bool isUnion, JsonNode value, string path, List<string> errors)
    {
        if (value is not JsonObject obj)
        {
            errors.Add($"{path}: expected an object ({LocalName(shapeId)}), got {Kind(value)}");
            return;
        }
        var members = shape["members"]?.AsObject() ?? [];
        foreach (var (name, memberValue) in obj)
        {
            if (members[name] is not JsonObject member)
            {
                errors.Add($"{path}.{name}: {LocalName(shapeId)} has no member \"{name}\"");
                continue;
            }
            Check(Target(member), member["traits"]?.AsObject(), memberValue, $"{path}.{name}", errors);
        }
        foreach (var (name, member) in members)
        {
            var required = member!["traits"]?["smithy.api#required"] is not null;
            if (required && obj[name] is null)
            {
                errors.Add($"{path}.{name}: required member of {LocalName(shapeId)} is missing");
            }
        }
        if (isUnion && obj.Count(p => p.Value is not null) != 1)
        {
            errors.Add($"{path}: a {LocalName(shapeId)} union takes exactly one member");
        }
    }

    private void CheckScalar(string type, string shapeId, JsonObject? traits, JsonObject? memberTraits, JsonNode value, string path, List<string> errors)
    {
        switch (type)
        {
            case "string":
            case "enum":
                if (!IsString(value, out var text))
                {
                    errors.Add($"{path}: expected a string, got {Kind(value)}");
                    return;
                }
                if (type == "enum")
                {
                    var allowed = EnumValues(LocalName(shapeId));
                    if (!allowed.Contains(text, StringComparer.Ordinal))
                    {
                        errors.Add($"{path}: \"{text}\" is not a valid {LocalName(shapeId)}; allowed: {string.Join(", ", allowed)}");
                    }
                    return;
                }
                if (traits?["smithy.api#enum"] is JsonArray legacy && !legacy.Any(e => (string?)e?["value"] == text))
                {
                    errors.Add($"{path}: \"{text}\" is not a valid {LocalName(shapeId)}");
                }
                CheckLength(traits, memberTraits, text.Length, path, errors, "characters");
                var pattern = (string?)memberTraits?["smithy.api#pattern"] ?? (string?)traits?["smithy.api#pattern"];
                if (pattern is not null && !Regex(pattern).IsMatch(text))
                {
                    errors.Add($"{path}: \"{Abbreviate(text)}\" does not match the pattern {pattern}");
                }
                break;
            case "integer":
            case "long":
            case "short":
            case "byte":
                if (value is not JsonValue number || !number.TryGetValue<long>(out var integer))
                {
                    if (value is JsonValue dv && dv.TryGetValue<double>(out var d) && d == Math.Floor(d))
                    {
                        integer = (long)d;
                    }
                    else
                    {
                        errors.Add($"{path}: expected an integer, got {Kind(value)}");
                        return;
                    }
                }
                CheckRange(traits, memberTraits, integer, path, errors);
                break;
            case "double":
            case "float":
                if (value is not JsonValue dbl || !dbl.TryGetValue<double>(out var real))
                {
                    errors.Add($"{path}: expected a number, got {Kind(value)}");
                    return;
                }
                CheckRange(traits, memberTraits, real, path, errors);
                break;
            case "boolean":
                if (value.GetValueKind() is not (JsonValueKind.True or JsonValueKind.False))
                {
                    errors.Add($"{path}: expected a boolean, got {Kind(value)}");
                }
                break;
            case "timestamp":
                // The JSON protocols send epoch seconds; strings are accepted leniently on the read side only.
                if (value.GetValueKind() != JsonValueKind.Number)
                {
                    errors.Add($"{path}: expected a timestamp in epoch seconds, got {Kind(value)}");
                }
                break;
            case "blob":
                if (!IsString(value, out _))
                {
                    errors.Add($"{path}: expected base64 text, got {Kind(value)}");
                }
                break;
            case "document":
                break;
            default:
                errors.Add($"{path}: unsupported shape type {type}");
                break;
        }
    }

    private static void CheckLength(JsonObject? traits, JsonObject? memberTraits, long count, string path, List<string> errors, string unit)
    {
        var (min, max) = Bounds(memberTraits?["smithy.api#length"] ?? traits?["smithy.api#length"]);
        if (min is { } lo && count < lo)
        {
            errors.Add($"{path}: {count} {unit}, at least {lo} allowed");
        }
        if (max is { } hi && count > hi)
        {
            errors.Add($"{path}: {count} {unit}, at most {hi} allowed");
        }
    }

    private static void CheckRange(JsonObject? traits, JsonObject? memberTraits, double number, string path, List<string> errors)
    {
        var range = memberTraits?["smithy.api#range"] ?? traits?["smithy.api#range"];
        var (min, max) = (ToDouble(range?["min"]), ToDouble(range?["max"]));
        if (min is { } lo && number < lo)
        {
            errors.Add($"{path}: {number.ToString(CultureInfo.InvariantCulture)} is below the minimum {lo.ToString(CultureInfo.InvariantCulture)}");
        }
        if (max is { } hi && number > hi)
        {
            errors.Add($"{path}: {number.ToString(CultureInfo.InvariantCulture)} is above the maximum {hi.ToString(CultureInfo.InvariantCulture)}");
        }
    }

    private static (long? Min, long? Max) Bounds(JsonNode? length) =>
        ((long?)ToDouble(length?["min"]), (long?)ToDouble(length?["max"]));

    private static double? ToDouble(JsonNode? node) =>
        node is JsonValue v && v.TryGetValue<double>(out var d) ? d : null;

    private Regex Regex(string pattern)
    {
        lock (_patternsLock)
        {
            if (!_patterns.TryGetValue(pattern, out var regex))
            {
                regex = new Regex(pattern, RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                _patterns[pattern] = regex;
            }
            return regex;
        }
    }

    private JsonObject Shape(string name) =>
        _shapes.TryGetValue(Qualify(name), out var shape) ? shape : throw new KeyNotFoundException($"{Namespace} has no shape {name}");

    private string Qualify(string name) => name.Contains('#', StringComparison.Ordinal) ? name : $"{Namespace}#{name}";

    private string? TargetOf(JsonNode? reference) =>
        (string?)reference?["target"] is { } target && !target.StartsWith("smithy.api#", StringComparison.Ordinal) ? LocalName(target) : null;

    private static string Target(JsonObject member) => (string)member["target"]!;

    private static string LocalName(string id) => id[(id.IndexOf('#', StringComparison.Ordinal) + 1)..];

    private static bool IsPrelude(string id, out string type)
    {
        type = "";
        if (!id.StartsWith("smithy.api#", StringComparison.Ordinal))
        {
            return false;
        }
        type = LocalName(id) switch
        {
            "String" => "string",
            "Integer" or "PrimitiveInteger" => "integer",
            "Long" or "PrimitiveLong" => "long",
            "Boolean" or "PrimitiveBoolean" => "boolean",
            "Double" or "PrimitiveDouble" => "double",
            "Float" or "PrimitiveFloat" => "float",
            "Timestamp" => "timestamp",
            "Blob" => "blob",
            "Document" => "document",
            _ => "document",
        };
        return true;
    }

    private static bool IsString(JsonNode value, out string text)
    {
        text = "";
        if (value is JsonValue v && v.GetValueKind() == JsonValueKind.String)
        {
            text = v.GetValue<string>();
            return true;
        }
        return false;
    }

    private static string Kind(JsonNode value) => value.GetValueKind().ToString().ToLowerInvariant();

    private static string Abbreviate(string text) => text.Length <= 64 ? text : text[..61] + "...";
}
