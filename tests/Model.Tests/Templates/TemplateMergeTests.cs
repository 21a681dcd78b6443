using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Templates;
using Reconciler.Model.Validation;
using Reconciler.Tests.Shared;

namespace Reconciler.Model.Tests.Templates;

/// <summary>The merge rules of PulumiPipelineTemplate, the validation of templates and of specs that name one, on samples/templates.</summary>
public class TemplateMergeTests
{
    private static string Sample(string name) => File.ReadAllText(RepositoryPaths.Combine("samples", "templates", name));

    private static PulumiPipelineTemplate Template()
    {
        var (errors, template) = SpecValidator.ValidateTemplate("standard-service.json", Sample("standard-service.json"));
        Assert.Empty(errors);
        return template!;
    }

    private static Dictionary<string, PulumiPipelineTemplate> Templates() => new() { ["standard-service"] = Template() };

    private static JsonObject Merge(string template, string spec) =>
        TemplateMerge.Merge(JsonNode.Parse(template)!.AsObject(), JsonNode.Parse(spec)!.AsObject());

    [Fact]
    public void Scalars_override_maps_merge_and_null_removes()
    {
        var merged = Merge(
            """{"driftPolicy":"Detect","build":{"image":"a","computeType":"BUILD_GENERAL1_SMALL"},"tags":{"a":"1","b":"2"},"pipeline":{"enabled":false}}""",
            """{"template":"t","driftPolicy":"Correct","build":{"image":"b"},"tags":{"b":"3","c":"4"},"pipeline":null}""");

        Assert.Equal(
            """{"driftPolicy":"Correct","build":{"image":"b","computeType":"BUILD_GENERAL1_SMALL"},"tags":{"a":"1","b":"3","c":"4"}}""",
            merged.ToJsonString());
    }

    [Fact]
    public void Stages_merge_by_name_in_template_order_new_ones_follow_and_remove_drops_one()
    {
        var merged = Merge(
            """{"stages":[{"name":"a","stack":"s1","operation":"up"},{"name":"b","stack":"s2"},{"name":"c","stack":"s3"}]}""",
            """{"stages":[{"name":"d","stack":"s4"},{"name":"c","stack":"x"},{"name":"a","remove":true}]}""");

        Assert.Equal("""[{"name":"b","stack":"s2"},{"name":"c","stack":"x"},{"name":"d","stack":"s4"}]""", merged["stages"]!.ToJsonString());
    }

    [Fact]
    public void Environment_variables_merge_by_name_and_other_lists_are_replaced()
    {
        var merged = Merge(
            """{"build":{"environment":[{"name":"A","value":"1"},{"name":"B","value":"2"}]},"other":[1,2]}""",
            """{"build":{"environment":[{"name":"B","value":"3","type":"PLAINTEXT"}]},"other":[3]}""");

        Assert.Equal("""{"build":{"environment":[{"name":"A","value":"1"},{"name":"B","value":"3","type":"PLAINTEXT"}]},"other":[3]}""", merged.ToJsonString());
    }

    [Fact]
    public void The_sample_spec_is_valid_with_its_template_and_its_effective_spec_is_what_the_rules_say()
    {
        var result = SpecValidator.Validate("orders.json", Sample("orders.json"), Templates());
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("standard-service", result.Document!.Spec.Template);

        var effective = TemplateMerge.Effective(result.Document, Template()).Spec;

        Assert.Null(effective.Template);
        Assert.Equal("https://github.com/acme/orders.git", effective.Source.Location);
        Assert.Equal("arn:aws:codestar-connections:us-east-1:111122223333:connection/abc", effective.Source.ConnectionArn);
        Assert.Equal("BUILD_GENERAL1_LARGE", effective.Build.ComputeType);
        Assert.Equal(45, effective.Build.TimeoutMinutes);
        Assert.Equal([("AWS_REGION", "us-east-1"), ("LOG_LEVEL", "debug")], effective.Build.Environment!.Select(v => (v.Name, v.Value)));
        Assert.Equal(["preview:acme/orders/staging:preview", "staging:acme/orders/staging:up", "refresh:acme/orders/staging:refresh"],
            effective.Stages.Select(s => $"{s.Name}:{s.Stack}:{s.Operation}"));
        Assert.Equal("main", effective.Stages[1].On.Push!.Branch);
        Assert.Equal(DriftPolicies.Detect, effective.DriftPolicy);
        Assert.Equal(DeletionPolicies.Retain, effective.DeletionPolicy);
        Assert.Equal(new Dictionary<string, string> { ["cost-center"] = "orders", ["managed"] = "standard-service" }, effective.Tags);
        Assert.Equal(["orders-preview", "orders-staging", "orders-refresh"],
            PipelineRenderer.Render(TemplateMerge.Effective(result.Document, Template())).Projects.Select(p => p.Project.Name));
    }

    [Fact]
    public void A_spec_whose_template_is_unknown_is_invalid_naming_it()
    {
        var result = SpecValidator.Validate("orders.json", Sample("orders.json"));

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.spec.template", error.Path);
        Assert.Equal("no PulumiPipelineTemplate named \"standard-service\" is known; validate or apply the spec together with its template, or apply the template first", error.Message);
    }

    [Fact]
    public void The_effective_spec_is_checked_by_every_rule()
    {
        var text = Sample("orders.json").Replace("\"computeType\": \"BUILD_GENERAL1_LARGE\"", "\"timeoutMinutes\": 3", StringComparison.Ordinal);

        var result = SpecValidator.Validate("orders.json", text, Templates());

        var error = Assert.Single(result.Errors);
        Assert.Equal("$.spec.build.timeoutMinutes", error.Path);
    }

    [Fact]
    public void Removing_a_stage_the_template_does_not_have_is_an_error()
    {
        var text = Sample("orders.json").Replace("{ \"name\": \"production\", \"remove\": true }", "{ \"name\": \"prod\", \"remove\": true }", StringComparison.Ordinal);

        var result = SpecValidator.Validate("orders.json", text, Templates());

        Assert.Contains(result.Errors, e => e.Path == "$.spec.stages[3].remove"
            && e.Message.StartsWith("there is no inherited stage \"prod\" to remove", StringComparison.Ordinal));
    }

    [Fact]
    public void A_template_with_an_unknown_field_or_the_wrong_kind_is_invalid()
    {
        var text = Sample("standard-service.json")
            .Replace("\"driftPolicy\"", "\"driftPolicie\"", StringComparison.Ordinal)
            .Replace("\"kind\": \"PulumiPipelineTemplate\"", "\"kind\": \"PipelineTemplate\"", StringComparison.Ordinal);

        var (errors, template) = SpecValidator.ValidateTemplate("t.json", text);

        Assert.Null(template);
        Assert.Equal(
            [
                "t.json: $.kind: unsupported kind \"PipelineTemplate\"; expected \"PulumiPipelineTemplate\"",
                "t.json: $.spec.driftPolicie: unknown field \"driftPolicie\"; did you mean \"driftPolicy\"?",
            ],
            errors.Select(e => e.ToString()));
    }
}
