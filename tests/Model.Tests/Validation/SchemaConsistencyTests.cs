using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;
using Reconciler.Model.Validation;
using Reconciler.Model.Validation.Rules;
using Reconciler.Tests.Shared;

namespace Reconciler.Model.Tests.Validation;

/// <summary>The schema, the typed model and the rules describe the same document.</summary>
public class SchemaConsistencyTests
{
    private static readonly JsonElement Schema = JsonDocument.Parse(PulumiPipelineSchema.Text).RootElement;

    [Fact]
    public void The_embedded_schema_is_the_checked_in_file() =>
        Assert.Equal(File.ReadAllText(RepositoryPaths.Combine("schemas", "pulumipipeline.v1.schema.json")), PulumiPipelineSchema.Text);

    [Fact]
    public void The_schema_declares_JSON_Schema_2020_12() =>
        Assert.Equal("https://json-schema.org/draft/2020-12/schema", Schema.GetProperty("$schema").GetString());

    [Fact]
    public void Every_object_in_the_schema_forbids_unknown_fields()
    {
        var open = new List<string>();
        Walk(Schema, "#", open);

        Assert.Empty(open);
    }

    [Fact]
    public void Schema_and_typed_model_have_the_same_fields_and_types_at_every_level()
    {
        var mismatches = new List<string>();
        Compare(ModelJsonContext.Default.PulumiPipeline, Schema, "$", mismatches);

        Assert.Empty(mismatches);
    }

    [Fact]
    public void Schema_enums_match_the_model_constants_and_the_AWS_model_lists()
    {
        Assert.Equal(AwsApiLimits.CodeBuild.ComputeTypes, Enum("spec", "build", "computeType"));
        Assert.Equal(AwsApiLimits.CodeBuild.EnvironmentTypes, Enum("spec", "build", "environmentType"));
        Assert.Equal(AwsApiLimits.CodeBuild.EnvironmentVariableTypes, Enum("environmentVariable", "type"));
        Assert.Equal(StageOperations.All, Enum("stage", "operation"));
        Assert.Equal(DriftPolicies.All, Enum("spec", "driftPolicy"));
        Assert.Equal(DeletionPolicies.All, Enum("spec", "deletionPolicy"));
        Assert.Equal(SourceRules.Types, Enum("spec", "source", "type"));
    }

    [Fact]
    public void Schema_defaults_are_the_defaults_of_the_typed_model()
    {
        var build = new BuildSettings();
        Assert.Equal(build.Image, Default("spec", "build", "image").GetString());
        Assert.Equal(build.ComputeType, Default("spec", "build", "computeType").GetString());
        Assert.Equal(build.EnvironmentType, Default("spec", "build", "environmentType").GetString());
        Assert.Equal(build.TimeoutMinutes, Default("spec", "build", "timeoutMinutes").GetInt32());
        Assert.Equal(new SourceSpec().Type, Default("spec", "source", "type").GetString());
        Assert.Equal(new StageSpec().Operation, Default("stage", "operation").GetString());
        Assert.Equal(new PipelineSpec().DriftPolicy, Default("spec", "driftPolicy").GetString());
        Assert.Equal(new PipelineSpec().DeletionPolicy, Default("spec", "deletionPolicy").GetString());
    }

    [Fact]
    public void Schema_limits_are_the_rules_limits()
    {
        var timeout = Property(Def("spec"), "build", "timeoutMinutes");
        Assert.Equal(BuildRules.MinTimeoutMinutes, timeout.GetProperty("minimum").GetInt32());
        Assert.Equal(BuildRules.MaxTimeoutMinutes, timeout.GetProperty("maximum").GetInt32());
        Assert.Equal(NameRules.DnsLabelMaxLength, Property(Def("metadata"), "name").GetProperty("maxLength").GetInt32());
        Assert.Equal(AwsApiLimits.Ssm.ParameterNameMaxLength, Property(Def("spec"), "pulumi", "accessTokenParameter").GetProperty("maxLength").GetInt32());
    }

    private static JsonElement Def(string name) => Schema.GetProperty("$defs").GetProperty(name);

    private static JsonElement Property(JsonElement schema, params string[] names)
    {
        foreach (var name in names)
        {
            schema = Resolve(schema.GetProperty("properties").GetProperty(name));
        }
        return schema;
    }

    private static List<string> Enum(string def, params string[] names) =>
        Property(Def(def), names).GetProperty("enum").EnumerateArray().Select(e => e.GetString()!).ToList();

    private static JsonElement Default(string def, params string[] names) => Property(Def(def), names).GetProperty("default");

    private static JsonElement Resolve(JsonElement schema) =>
        schema.TryGetProperty("$ref", out var reference) ? Def(reference.GetString()!["#/$defs/".Length..]) : schema;

    private static void Walk(JsonElement schema, string at, List<string> open)
    {
        if (schema.ValueKind != JsonValueKind.Object)
        {
            return;
        }
        if (schema.TryGetProperty("type", out var type) && type.GetString() == "object" && !schema.TryGetProperty("additionalProperties", out _))
        {
            open.Add(at);
        }
        foreach (var member in schema.EnumerateObject())
        {
            if (member.Value.ValueKind == JsonValueKind.Object && member.Name is "properties" or "$defs")
            {
                foreach (var child in member.Value.EnumerateObject())
                {
                    Walk(child.Value, $"{at}/{member.Name}/{child.Name}", open);
                }
            }
            else
            {
                Walk(member.Value, $"{at}/{member.Name}", open);
            }
        }
    }

    private static void Compare(JsonTypeInfo type, JsonElement schema, string at, List<string> mismatches)
    {
        schema = Resolve(schema);
        var properties = schema.GetProperty("properties");
        var modelNames = type.Properties.Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        var schemaNames = properties.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal).ToList();
        if (!modelNames.SequenceEqual(schemaNames))
        {
            mismatches.Add($"{at}: model has [{string.Join(", ", modelNames)}], schema has [{string.Join(", ", schemaNames)}]");
        }
        foreach (var property in type.Properties)
        {
            if (properties.TryGetProperty(property.Name, out var child))
            {
                CompareValue(property.PropertyType, Resolve(child), $"{at}.{property.Name}", mismatches);
            }
        }
    }

    private static void CompareValue(Type clr, JsonElement schema, string at, List<string> mismatches)
    {
        clr = Nullable.GetUnderlyingType(clr) ?? clr;
        var declared = schema.TryGetProperty("type", out var t) ? t.GetString() : null;
        var expected = clr switch
        {
            _ when clr == typeof(string) || clr == typeof(DateTimeOffset) => "string",
            _ when clr == typeof(int) || clr == typeof(long) => "integer",
            _ when clr == typeof(double) => "number",
            _ when clr == typeof(bool) => "boolean",
            _ when clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IReadOnlyList<>) => "array",
            _ => "object",
        };
        if (declared != expected && !(declared is null && schema.TryGetProperty("const", out _)))
        {
            mismatches.Add($"{at}: model type {clr.Name} needs \"{expected}\", schema says \"{declared}\"");
            return;
        }
        if (clr == typeof(DateTimeOffset) && (!schema.TryGetProperty("format", out var format) || format.GetString() != "date-time"))
        {
            mismatches.Add($"{at}: a timestamp needs format date-time");
        }
        if (expected == "array")
        {
            CompareValue(clr.GetGenericArguments()[0], Resolve(schema.GetProperty("items")), $"{at}[]", mismatches);
        }
        else if (expected == "object" && clr.IsGenericType && clr.GetGenericTypeDefinition() == typeof(IReadOnlyDictionary<,>))
        {
            CompareValue(clr.GetGenericArguments()[1], Resolve(schema.GetProperty("additionalProperties")), $"{at}{{}}", mismatches);
        }
        else if (expected == "object")
        {
            Compare(ModelJsonContext.Default.GetTypeInfo(clr)!, schema, at, mismatches);
        }
    }
}
