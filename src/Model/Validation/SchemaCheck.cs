using System.Globalization;
using System.Text.Json;
using Json.Schema;

namespace Reconciler.Model.Validation;

/// <summary>Evaluates a document against <see cref="PulumiPipelineSchema"/> and turns JsonSchema.Net's results into findings with our paths and messages.</summary>
internal static class SchemaCheck
{
    private static readonly EvaluationOptions Options = new()
    {
        OutputFormat = OutputFormat.List,
        RequireFormatValidation = true,
    };

    public static List<SchemaFinding> Evaluate(DocumentTree tree)
    {
        var findings = new List<SchemaFinding>();
        var results = PulumiPipelineSchema.Schema.Evaluate(tree.Root, Options);
        if (results.IsValid)
        {
            return findings;
        }
        Collect(results, tree, findings);
        foreach (var detail in results.Details ?? [])
        {
            Collect(detail, tree, findings);
        }
        return findings;
    }

    private static void Collect(EvaluationResults node, DocumentTree tree, List<SchemaFinding> findings)
    {
        if (node.Errors is not { Count: > 0 } errors)
        {
            return;
        }
        var segments = PointerSegments(node.InstanceLocation.ToString());
        var (path, element) = tree.Locate(segments);
        var schema = SchemaAt(segments, tree.Root);
        foreach (var (keyword, libraryMessage) in errors)
        {
            switch (keyword)
            {
                case "" or "false" when node.EvaluationPath.ToString().EndsWith("/additionalProperties", StringComparison.Ordinal):
                    findings.Add(Unknown(path, segments, tree.Root));
                    break;
                case "required":
                    AddMissing(path, segments, schema, element, findings);
                    break;
                case "type":
                    findings.Add(new SchemaFinding(SchemaFindingKind.WrongType, path, segments,
                        $"expected {ExpectedType(schema)}, found {Describe(element)}"));
                    break;
                case "format":
                    findings.Add(new SchemaFinding(SchemaFindingKind.WrongType, path, segments, FormatMessage(schema, element)));
                    break;
                default:
                    findings.Add(new SchemaFinding(SchemaFindingKind.BadValue, path, segments,
                        ValueMessage(keyword, schema, element) ?? Clause.From(libraryMessage)));
                    break;
            }
        }
    }

    private static SchemaFinding Unknown(string path, IReadOnlyList<string> segments, JsonElement instanceRoot)
    {
        var name = segments.Count > 0 ? segments[^1] : "";
        var parent = SchemaAt(segments.Take(segments.Count - 1).ToList(), instanceRoot);
        var allowed = parent is { } p && p.TryGetProperty("properties", out var properties) && properties.ValueKind == JsonValueKind.Object
            ? properties.EnumerateObject().Select(x => x.Name).ToList()
            : [];
        var suggestion = SpellingSuggestion.Closest(name, allowed);
        var message = suggestion is not null
            ? $"unknown field {Quoted.Text(name)}; did you mean {Quoted.Text(suggestion)}?"
            : allowed.Count > 0
                ? $"unknown field {Quoted.Text(name)}; allowed fields here: {Quoted.List(allowed)}"
                : $"unknown field {Quoted.Text(name)}; no fields are allowed here";
        return new SchemaFinding(SchemaFindingKind.UnknownField, path, segments, message);
    }

    private static void AddMissing(string path, IReadOnlyList<string> segments, JsonElement? schema, JsonElement? element, List<SchemaFinding> findings)
    {
        if (schema is not { } s || element is not { ValueKind: JsonValueKind.Object } obj)
        {
            return;
        }
        // A spec lists what it requires under "else" of an "if" on its template field: a templated spec requires nothing.
        if (!s.TryGetProperty("required", out var required)
            && !(s.TryGetProperty("else", out var otherwise) && s.TryGetProperty("if", out var condition)
                && condition.TryGetProperty("required", out var conditions)
                && !conditions.EnumerateArray().All(c => obj.TryGetProperty(c.GetString() ?? "", out _))
                && otherwise.TryGetProperty("required", out required)))
        {
            return;
        }
        foreach (var name in required.EnumerateArray().Select(x => x.GetString() ?? ""))
        {
            if (!obj.TryGetProperty(name, out _))
            {
                findings.Add(new SchemaFinding(SchemaFindingKind.MissingField, JsonPath.Field(path, name), [.. segments, name],
                    $"required field {Quoted.Text(name)} is missing{Hint(s, name)}"));
            }
        }
    }

    /// <summary>What the missing field is: the value it must have, or its description from the schema.</summary>
    private static string Hint(JsonElement parentSchema, string name)
    {
        if (!parentSchema.TryGetProperty("properties", out var properties) || !properties.TryGetProperty(name, out var property))
        {
            return "";
        }
        var schema = Resolve(property);
        if (schema.TryGetProperty("const", out var constant))
        {
            return $" (it must be {Shown(constant)})";
        }
        return schema.TryGetProperty("description", out var description) && description.GetString() is { Length: > 0 } text
            ? $" ({Clause.From(text)})"
            : "";
    }

    private static string FormatMessage(JsonElement? schema, JsonElement? element)
    {
        var format = schema is { } s && s.TryGetProperty("format", out var f) ? f.GetString() : null;
        var shown = element is { ValueKind: JsonValueKind.String } str ? Quoted.Text(str.GetString()) : "the value";
        return format == "date-time"
            ? $"{shown} is not an RFC 3339 date-time; use e.g. \"2025-01-31T12:00:00Z\""
            : $"{shown} is not in the {format} format";
    }

    private static string? ValueMessage(string keyword, JsonElement? schema, JsonElement? element)
    {
        if (schema is not { } s)
        {
            return null;
        }
        var shown = element is { } e ? Shown(e) : "the value";
        return keyword switch
        {
            "const" => $"{shown} is not allowed; expected {Shown(s.GetProperty("const"))}",
            "enum" => $"{shown} is not allowed; expected one of: {Quoted.List(s.GetProperty("enum").EnumerateArray().Select(x => x.GetString() ?? x.GetRawText()))}",
            "pattern" => $"{shown} does not match the pattern {s.GetProperty("pattern").GetString()}",
            "minLength" or "maxLength" => $"{shown} has {LengthOf(element)} characters; allowed: {Range(s, "minLength", "maxLength")} characters",
            "minimum" or "maximum" => $"{shown} is out of range; allowed: {Range(s, "minimum", "maximum")}",
            "minItems" or "maxItems" => $"has {Count(element)} items; allowed: {Range(s, "minItems", "maxItems")} items",
            "minProperties" or "maxProperties" => $"has {Count(element)} fields; allowed: {Range(s, "minProperties", "maxProperties")} of {Quoted.List(PropertyNames(s))}",
            _ => null,
        };
    }

    private static string Range(JsonElement schema, string min, string max)
    {
        var low = schema.TryGetProperty(min, out var l) ? l.GetRawText() : null;
        var high = schema.TryGetProperty(max, out var h) ? h.GetRawText() : null;
        return (low, high) switch
        {
            (not null, not null) when low == high => low,
            (not null, not null) => $"{low}..{high}",
            (not null, null) => $"at least {low}",
            (null, not null) => $"at most {high}",
            _ => "any",
        };
    }

    private static int LengthOf(JsonElement? element) =>
        element is { ValueKind: JsonValueKind.String } s ? (s.GetString() ?? "").Length : 0;

    private static int Count(JsonElement? element) => element switch
    {
        { ValueKind: JsonValueKind.Array } a => a.GetArrayLength(),
        { ValueKind: JsonValueKind.Object } o => o.EnumerateObject().Count(),
        _ => 0,
    };

    private static IEnumerable<string> PropertyNames(JsonElement schema) =>
        schema.TryGetProperty("properties", out var p) ? p.EnumerateObject().Select(x => x.Name) : [];

    private static string Shown(JsonElement value) => value.ValueKind == JsonValueKind.String
        ? Quoted.Text(value.GetString())
        : value.ValueKind is JsonValueKind.Object or JsonValueKind.Array ? Describe(value) : value.GetRawText();

    private static string ExpectedType(JsonElement? schema)
    {
        if (schema is not { } s || !s.TryGetProperty("type", out var type))
        {
            return "another type";
        }
        var names = type.ValueKind == JsonValueKind.Array
            ? type.EnumerateArray().Select(x => x.GetString() ?? "")
            : [type.GetString() ?? ""];
        return string.Join(" or ", names.Select(n => n switch
        {
            "object" => "an object",
            "array" => "an array",
            "string" => "a string",
            "integer" => "an integer",
            "number" => "a number",
            "boolean" => "a boolean (true or false)",
            _ => n,
        }));
    }

    private static string Describe(JsonElement? element) => element?.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        JsonValueKind.String => "a string",
        JsonValueKind.Number => element.Value.TryGetInt64(out _) ? "an integer" : "a number",
        JsonValueKind.True or JsonValueKind.False => "a boolean",
        JsonValueKind.Null => "null",
        _ => "nothing",
    };

    /// <summary>The subschema that applies at an instance location; our schema has no combinators, so the instance alone decides.</summary>
    private static JsonElement? SchemaAt(IReadOnlyList<string> segments, JsonElement instanceRoot)
    {
        var schema = Resolve(PulumiPipelineSchema.Root);
        var instance = (JsonElement?)instanceRoot;
        foreach (var segment in segments)
        {
            JsonElement next;
            if (instance is { ValueKind: JsonValueKind.Array } array)
            {
                if (!schema.TryGetProperty("items", out next))
                {
                    return null;
                }
                instance = int.TryParse(segment, NumberStyles.None, CultureInfo.InvariantCulture, out var i) && i < array.GetArrayLength()
                    ? array[i]
                    : null;
            }
            else
            {
                if (!(schema.TryGetProperty("properties", out var properties) && properties.TryGetProperty(segment, out next))
                    && !(schema.TryGetProperty("additionalProperties", out next) && next.ValueKind == JsonValueKind.Object))
                {
                    return null;
                }
                instance = instance is { ValueKind: JsonValueKind.Object } obj && obj.TryGetProperty(segment, out var child) ? child : null;
            }
            schema = Resolve(next);
        }
        return schema;
    }

    /// <summary>Follows a local <c>$ref</c> ("#/$defs/x"); the schema has no other kind.</summary>
    private static JsonElement Resolve(JsonElement schema)
    {
        for (var hops = 0; hops < 8 && schema.ValueKind == JsonValueKind.Object && schema.TryGetProperty("$ref", out var reference); hops++)
        {
            var target = PulumiPipelineSchema.Root;
            foreach (var part in (reference.GetString() ?? "").TrimStart('#').Split('/', StringSplitOptions.RemoveEmptyEntries))
            {
                if (!target.TryGetProperty(Unescape(part), out target))
                {
                    return schema;
                }
            }
            schema = target;
        }
        return schema;
    }

    internal static List<string> PointerSegments(string pointer) =>
        pointer.Length == 0 ? [] : pointer.Split('/').Skip(1).Select(Unescape).ToList();

    private static string Unescape(string segment) => segment.Replace("~1", "/", StringComparison.Ordinal).Replace("~0", "~", StringComparison.Ordinal);
}
