using System.Text.Json;
using System.Text.Json.Nodes;
using FsCheck.Xunit;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Rendering.Pulumi;
using Reconciler.Model.Serialization;
using Reconciler.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Model.Tests.Rendering.Pulumi;

/// <summary>
/// The generated Pulumi programs: golden per sample (regenerate with <c>RECONCILER_UPDATE_GOLDEN=1</c>), every one
/// conforming to the AWS provider's input schema, and the API bodies and provider properties mapping one to one.
/// </summary>
public class PulumiProgramTests
{
    public static TheoryData<string> Samples() => GoldenRenderingTests.Samples();

    [Theory]
    [MemberData(nameof(Samples))]
    public void A_sample_generates_its_golden_program_byte_for_byte(string sample)
    {
        var actual = Program(sample).ToYaml();
        var goldenPath = RepositoryPaths.Combine("samples", "pulumi", sample + ".yaml");

        if (Environment.GetEnvironmentVariable("RECONCILER_UPDATE_GOLDEN") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(goldenPath)!);
            File.WriteAllText(goldenPath, actual);
            return;
        }

        Assert.True(File.Exists(goldenPath), $"{goldenPath} is missing; create it with RECONCILER_UPDATE_GOLDEN=1");
        var expected = File.ReadAllText(goldenPath);
        if (expected != actual)
        {
            Assert.Fail($"the program of samples/specs/{sample}.json differs from samples/pulumi/{sample}.yaml (-golden +generated):\n"
                + TextDiff.Unified(expected, actual));
        }
    }

    [Theory]
    [MemberData(nameof(Samples))]
    public void Every_golden_program_conforms_to_the_provider_schema(string sample)
    {
        var document = ReadYaml(File.ReadAllText(RepositoryPaths.Combine("samples", "pulumi", sample + ".yaml")));
        var resources = document["resources"]!.AsObject();

        Assert.NotEmpty(resources);
        foreach (var (name, resource) in resources)
        {
            var type = PulumiResourceType.Find((string)resource!["type"]!);
            Assert.True(type is not null, $"{name}: unknown type {resource["type"]}");
            var properties = (JsonObject)PulumiYamlText.UnescapeAll(resource["properties"])!;
            Assert.Empty(ProviderSchema.Aws.Validate(type.Token, properties).Select(v => $"{sample}/{name}: {v}"));
        }
    }

    [Fact]
    public void The_pipeline_sample_declares_all_three_types_with_names_tags_and_dependencies()
    {
        var program = Program("payments-pipeline");
        var byName = program.Resources.ToDictionary(r => r.LogicalName);

        Assert.Equal(PulumiResourceType.CodePipeline, byName["payments"].Type);
        Assert.Equal(["payments-staging", "payments-production"], byName["payments"].DependsOn);
        Assert.Equal(PulumiResourceType.CodeBuildWebhook, byName["payments-preview-webhook"].Type);
        Assert.Equal(["payments-preview"], byName["payments-preview-webhook"].DependsOn);
        Assert.Equal("payments-preview", (string?)byName["payments-preview"].Properties["name"]);
        Assert.Equal("reconciler", (string?)byName["payments-staging"].Properties["tags"]![OwnershipTags.ManagedBy]);
        Assert.Equal("payments", (string?)byName["payments"].Properties["tags"]![OwnershipTags.Spec]);
        Assert.Equal(90, (int?)byName["payments-staging"].Properties["buildTimeout"]);
        Assert.Equal("acme-pipeline-artifacts", (string?)byName["payments"].Properties["artifactStores"]![0]!["location"]);
        Assert.Equal("CodeBuild", (string?)byName["payments"].Properties["stages"]![1]!["actions"]![0]!["provider"]);
        Assert.All(program.Resources, r => Assert.False(r.RetainOnDelete));
    }

    [Fact]
    public void Retain_marks_every_resource_and_release_drops_only_the_ownership_tags()
    {
        var state = PipelineRenderer.Render(GoldenRenderingTests.Load("payments-pipeline"));
        var program = PulumiProgramRenderer.Render(state, new PulumiProgramOptions(RetainOnDelete: true, ReleaseOwnership: true));

        Assert.All(program.Resources, r => Assert.True(r.RetainOnDelete));
        var tags = program.Resources.Where(r => r.Properties["tags"] is not null).Select(r => r.Properties["tags"]!.AsObject()).ToList();
        Assert.NotEmpty(tags);
        Assert.All(tags, t => Assert.DoesNotContain(t, p => p.Key.StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal)));
        Assert.All(tags, t => Assert.Equal("payments", (string?)t["cost-center"]));
        Assert.Contains("retainOnDelete: true", program.ToYaml(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_broken_program_is_caught_by_the_schema()
    {
        var program = Program("payments-pipeline");
        var project = program.Resources.First(r => r.Type == PulumiResourceType.CodeBuildProject).Properties;
        project["timeoutInMinutes"] = 60;
        project.Remove("serviceRole");
        project["environment"]!["privilegedMode"] = "yes";
        project["environment"]!["environmentVariables"]![0]!.AsObject().Remove("value");
        var webhook = program.Resources.First(r => r.Type == PulumiResourceType.CodeBuildWebhook).Properties;
        webhook["filterGroups"]![0]!["filters"] = new JsonObject();
        var pipeline = program.Resources.First(r => r.Type == PulumiResourceType.CodePipeline).Properties;
        pipeline["stages"]![0]!["actions"]![0]!["actionTypeId"] = new JsonObject();
        pipeline["tags"]!["n"] = 3;

        var violations = ProviderSchema.Aws.Validate(program);

        Assert.Contains(violations, v => v.EndsWith("$.timeoutInMinutes: no such property", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.EndsWith("$.serviceRole: required property missing", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.EndsWith("$.environment.privilegedMode: expected boolean, got a string", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.EndsWith("$.environment.environmentVariables[0].value: required property missing", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.Contains("-webhook: $.filterGroups[0].filters: expected an array", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.EndsWith("$.stages[0].actions[0].actionTypeId: no such property", StringComparison.Ordinal));
        Assert.Contains(violations, v => v.EndsWith("$.tags.n: expected string, got a number", StringComparison.Ordinal));
        Assert.Contains(ProviderSchema.Aws.Validate("aws:s3/bucket:Bucket", []), v => v.Contains("not a resource type", StringComparison.Ordinal));
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void Every_generated_program_conforms_to_the_provider_schema(PulumiPipeline document)
    {
        var program = PulumiProgramRenderer.Render(PipelineRenderer.Render(document));
        Assert.Empty(ProviderSchema.Aws.Validate(program));
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void Every_rendered_api_field_has_its_program_property_and_back(PulumiPipeline document)
    {
        var state = PipelineRenderer.Render(document);
        var program = PulumiProgramRenderer.Render(state);
        var byName = program.Resources.ToDictionary(r => r.LogicalName);

        foreach (var desired in state.Projects)
        {
            var properties = byName[desired.Project.Name].Properties;
            // API → program → API gives the body back: no API field is lost or altered on the way ...
            AssertSameJson(desired.Project, ProviderInputs.ToProject(properties), ModelJsonContext.Default.CodeBuildProject);
            // ... and program → API → program gives the properties back: no program property is without its API field.
            AssertSameJson(properties, ProviderInputs.Project(ProviderInputs.ToProject(properties)));
            if (desired.Webhook is { } webhook)
            {
                var hook = byName[desired.Project.Name + PulumiProgramRenderer.WebhookSuffix].Properties;
                AssertSameJson(webhook, ProviderInputs.ToWebhook(hook), ModelJsonContext.Default.WebhookRequest);
                AssertSameJson(hook, ProviderInputs.Webhook(ProviderInputs.ToWebhook(hook)));
            }
        }
        if (state.Pipeline is { } pipeline)
        {
            var properties = byName[pipeline.Declaration.Name].Properties;
            var (declaration, tags) = ProviderInputs.ToPipeline(properties);
            AssertSameJson(pipeline.Declaration, declaration, ModelJsonContext.Default.PipelineDeclaration);
            AssertSameJson(pipeline.Tags.ToList(), tags.ToList(), ModelJsonContext.Default.ListAwsTag);
            AssertSameJson(properties, ProviderInputs.Pipeline(declaration, tags));
        }
        Assert.Equal(state.Projects.Count + state.Projects.Count(p => p.Webhook is not null) + (state.Pipeline is null ? 0 : 1), program.Resources.Count);
    }

    [Property(Arbitrary = [typeof(ValidSpecs)], MaxTest = 100)]
    public void The_yaml_text_reads_back_as_the_program_with_every_string_literal(PulumiPipeline document)
    {
        var program = PulumiProgramRenderer.Render(PipelineRenderer.Render(document));
        var read = ReadYaml(program.ToYaml());

        AssertSameJson(program.ToDocument(), read);
        foreach (var resource in program.Resources)
        {
            AssertSameJson(resource.Properties, PulumiYamlText.UnescapeAll(read["resources"]![resource.LogicalName]!["properties"]));
        }
    }

    [Fact]
    public void Dollar_signs_stay_literal_and_awkward_strings_keep_their_bytes()
    {
        var tree = new JsonObject
        {
            ["a"] = "export PATH=\"$HOME/bin:$PATH\" ${not.a.reference} $${x}",
            ["b"] = "line one\n  indented\n\nafter a blank\n",
            ["c"] = " leading space\nand more",
            ["d"] = "tab\there\r\n",
            ["e"] = "3.140.0",
            ["f"] = "true",
            ["g"] = "",
            ["h"] = "key: value # comment",
            ["i"] = "ünïcode – dash",
            ["j"] = new JsonArray(new JsonObject { ["x"] = 1, ["y"] = new JsonArray("p", "q") }, new JsonArray(), "no\ntrailing newline"),
        };

        var escaped = PulumiYamlText.EscapeInterpolation(tree)!;
        var read = ReadYaml(PulumiYamlText.Write(escaped));

        AssertSameJson(escaped, read);
        AssertSameJson(tree, PulumiYamlText.UnescapeAll(read));
        Assert.Equal("export PATH=\"$$HOME/bin:$$PATH\" $${not.a.reference} $$$${x}", (string?)escaped["a"]);
    }

    private static PulumiProgram Program(string sample) =>
        PulumiProgramRenderer.Render(PipelineRenderer.Render(GoldenRenderingTests.Load(sample)));

    private static void AssertSameJson<T>(T expected, T actual, System.Text.Json.Serialization.Metadata.JsonTypeInfo<T> typeInfo) =>
        Assert.Equal(JsonSerializer.Serialize(expected, typeInfo), JsonSerializer.Serialize(actual, typeInfo));

    private static void AssertSameJson(JsonNode? expected, JsonNode? actual) =>
        Assert.True(JsonNode.DeepEquals(expected, actual), $"expected\n{expected?.ToJsonString()}\nactual\n{actual?.ToJsonString()}");

    /// <summary>YAML text as a JSON tree, scalars typed the way a YAML 1.2 core-schema reader types them.</summary>
    internal static JsonObject ReadYaml(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return (JsonObject)ToJson(stream.Documents[0].RootNode)!;
    }

    private static JsonNode? ToJson(YamlNode node) => node switch
    {
        YamlMappingNode map => new JsonObject(map.Children.Select(c => KeyValuePair.Create(((YamlScalarNode)c.Key).Value!, ToJson(c.Value)))),
        YamlSequenceNode seq => new JsonArray(seq.Children.Select(ToJson).ToArray()),
        YamlScalarNode { Style: YamlDotNet.Core.ScalarStyle.Plain } scalar => scalar.Value switch
        {
            "true" => JsonValue.Create(true),
            "false" => JsonValue.Create(false),
            "null" or "~" => null,
            var s when long.TryParse(s, System.Globalization.NumberStyles.AllowLeadingSign, System.Globalization.CultureInfo.InvariantCulture, out var n) => JsonValue.Create(n),
            var s => JsonValue.Create(s),
        },
        YamlScalarNode scalar => JsonValue.Create(scalar.Value),
        _ => throw new InvalidOperationException($"unexpected YAML node {node.NodeType}"),
    };
}
