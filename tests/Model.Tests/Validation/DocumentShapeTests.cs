using System.Text.Json.Nodes;
using Reconciler.Model.Validation;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

public class DocumentShapeTests
{
    [Fact]
    public void The_website_document_is_valid_and_comes_back_typed()
    {
        var result = Validate(Website);

        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        Assert.Equal("website", result.Document!.Metadata.Name);
        Assert.Equal("LINUX_CONTAINER", result.Document.Spec.Build.EnvironmentType);
        Assert.Equal(3, result.Document.Spec.Stages.Count);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   \n\t ")]
    [InlineData("\uFEFF")]
    public void An_empty_file_is_rejected(string text) =>
        SingleError(text, "$", "the document is empty", "expected a JSON object with apiVersion, kind, metadata and spec");

    [Theory]
    [InlineData("[]", "an array")]
    [InlineData("42", "a number")]
    [InlineData("\"website\"", "a string")]
    [InlineData("null", "null")]
    [InlineData("true", "a boolean")]
    public void A_root_that_is_not_an_object_is_rejected(string text, string kind) =>
        SingleError(text, "$", $"the document root is {kind}", "expected a JSON object");

    [Fact]
    public void A_syntax_error_names_line_and_column()
    {
        var text = "{\n  \"apiVersion\": \"reconciler/v1\",\n  \"kind\": ,\n}";

        SingleError(text, "$", "invalid JSON at line 3, column 11:", "invalid start of a value");
    }

    [Fact]
    public void The_column_of_a_syntax_error_counts_characters_not_bytes()
    {
        var text = "{ \"name\": \"żółw\" x }";

        SingleError(text, "$", "line 1, column 18:");
    }

    [Fact]
    public void A_syntax_error_that_quotes_line_breaks_and_control_characters_stays_on_one_line()
    {
        // The parser quotes the bad literal, line break and all (found by ValidatorPropertyTests).
        var error = SingleError("nope\n\u0005x\"", "$", "invalid JSON at line 1, column 2");

        Assert.DoesNotContain('\n', error.ToString());
        Assert.DoesNotContain('\u0005', error.ToString());
    }

    [Fact]
    public void Comments_and_trailing_commas_are_syntax_errors()
    {
        SingleError("{ // no\n}", "$", "invalid JSON at line 1, column 3");
        SingleError("{ \"a\": 1, }", "$", "invalid JSON at line 1, column 11");
    }

    [Fact]
    public void Text_that_is_not_Unicode_is_rejected_with_its_position() =>
        SingleError("{\n  \"kind\": \"a\ud800\"\n}", "$", "invalid text at line 2, column 13: a lone UTF-16 surrogate");

    [Theory]
    [InlineData("{ \"kind\": \"\\ud800\" }", "$.kind", "the string contains an escaped lone surrogate")]
    [InlineData("{ \"\\udc00\": 1 }", "$", "a field name contains an escaped lone surrogate")]
    public void Escapes_that_decode_to_lone_surrogates_are_rejected(string text, string path, string message) =>
        SingleError(text, path, message);

    [Fact]
    public void A_document_over_the_DynamoDB_item_limit_is_rejected()
    {
        var text = Mutate(doc => doc["metadata"]!["annotations"] = new JsonObject { ["notes"] = new string('x', 410_000) });

        var error = SingleError(text, "$", "bytes", "at most 409600 bytes (400 KB)");
        Assert.Contains($"{System.Text.Encoding.UTF8.GetByteCount(text)} bytes", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_size_limit_counts_UTF8_bytes()
    {
        // 140,000 three-byte characters: under 400 K characters, over 400 KB.
        var text = Mutate(doc => doc["metadata"]!["annotations"] = new JsonObject { ["notes"] = new string('€', 140_000) });

        Assert.True(text.Length < SpecValidator.MaxDocumentBytes);
        SingleError(text, "$", "at most 409600 bytes");
    }

    [Theory]
    [InlineData("specc", "$.specc", "did you mean \"spec\"?")]
    [InlineData("Kind", "$.Kind", "did you mean \"kind\"?")]
    public void An_unknown_top_level_field_suggests_the_close_one(string field, string path, string suggestion)
    {
        var text = Mutate(doc => doc[field] = "x");

        var error = SingleError(text, path, $"unknown field \"{field}\"", suggestion);
        Assert.Equal($"unknown field \"{field}\"; {suggestion}", error.Message);
    }

    [Fact]
    public void An_unknown_field_deep_in_the_document_is_found_with_its_path()
    {
        var text = Mutate(doc => doc.Stage(1)["on"]!["push"]!["brnch"] = "main");

        var error = SingleError(text, "$.spec.stages[1].on.push.brnch");
        Assert.Equal("unknown field \"brnch\"; did you mean \"branch\"?", error.Message);
    }

    [Fact]
    public void A_misspelt_collection_gets_the_suggestion_from_the_brief()
    {
        var text = Mutate(doc => doc.Spec()["stagse"] = new JsonArray());

        Assert.Equal("unknown field \"stagse\"; did you mean \"stages\"?", SingleError(text, "$.spec.stagse").Message);
    }

    [Fact]
    public void An_unknown_field_with_nothing_close_lists_the_allowed_fields()
    {
        var text = Mutate(doc => doc.Build()["colour"] = "blue");

        SingleError(text, "$.spec.build.colour",
            "unknown field \"colour\"; allowed fields here: image, computeType, environmentType, serviceRoleArn, timeoutMinutes, environment");
    }

    [Fact]
    public void Keys_that_are_not_plain_names_are_quoted_in_the_path()
    {
        var text = Mutate(doc => doc.Spec()["source"]!["my.field/x'y"] = 1);

        SingleError(text, "$.spec.source['my.field/x\\'y']", "unknown field");
    }

    [Fact]
    public void A_value_of_the_wrong_type_is_one_error_without_follow_up_noise()
    {
        var text = Mutate(doc => doc.Build()["timeoutMinutes"] = "60");

        SingleError(text, "$.spec.build.timeoutMinutes", "expected an integer, found a string");
    }

    [Fact]
    public void A_stage_of_the_wrong_type_keeps_the_indices_of_the_others()
    {
        var text = Mutate(doc =>
        {
            doc.Spec()["stages"]![0] = 5;
            doc.Stage(2)["operation"] = "deploy";
        });

        var result = Validate(text);

        Assert.Equal(
            [
                "test.json: $.spec.stages[0]: expected an object, found an integer",
                "test.json: $.spec.stages[2].operation: unknown operation \"deploy\"; allowed: preview, up, refresh",
            ],
            result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void A_missing_required_section_is_one_error_and_rules_below_it_stay_quiet()
    {
        var text = Mutate(doc => doc.Spec().Remove("pulumi"));

        SingleError(text, "$.spec.pulumi", "required field \"pulumi\" is missing");
    }

    [Fact]
    public void A_missing_required_field_says_what_it_is()
    {
        var text = Mutate(doc => doc.Build().Remove("serviceRoleArn"));

        SingleError(text, "$.spec.build.serviceRoleArn", "required field \"serviceRoleArn\" is missing", "(the IAM role CodeBuild assumes: arn:aws:iam::<account>:role/<name>)");
    }

    [Fact]
    public void Null_is_the_wrong_type_for_an_object()
    {
        var text = Mutate(doc => doc.Spec()["build"] = null);

        SingleError(text, "$.spec.build", "expected an object, found null");
    }

    [Fact]
    public void A_field_given_twice_is_rejected()
    {
        var text = Website.Replace("\"kind\": \"PulumiPipeline\",", "\"kind\": \"PulumiPipeline\", \"kind\": \"PulumiPipeline\",", StringComparison.Ordinal);

        SingleError(text, "$.kind", "duplicate field \"kind\"", "only once");
    }

    [Fact]
    public void A_bad_timestamp_in_store_owned_metadata_is_reported()
    {
        var text = Mutate(doc => doc["metadata"]!["creationTimestamp"] = "yesterday");

        SingleError(text, "$.metadata.creationTimestamp", "\"yesterday\" is not an RFC 3339 date-time");
    }

    [Fact]
    public void Store_owned_metadata_and_status_are_allowed()
    {
        Valid(Mutate(doc =>
        {
            var metadata = doc["metadata"]!.AsObject();
            metadata["uid"] = "5f0c";
            metadata["generation"] = 3;
            metadata["resourceVersion"] = "7";
            metadata["creationTimestamp"] = "2025-01-31T12:00:00Z";
            metadata["finalizers"] = new JsonArray("reconciler.io/cleanup");
            doc["status"] = new JsonObject
            {
                ["observedGeneration"] = 3,
                ["phase"] = "Ready",
                ["conditions"] = new JsonArray(new JsonObject
                {
                    ["type"] = "Ready", ["status"] = "True", ["reason"] = "Converged", ["message"] = "",
                    ["lastTransitionTime"] = "2025-01-31T12:00:00Z", ["observedGeneration"] = 3,
                }),
            };
        }));
    }

    [Fact]
    public void Every_error_is_reported_at_once_in_document_order()
    {
        var text = Mutate(doc =>
        {
            doc.Spec()["deletionPolicy"] = "Keep";
            doc["kind"] = "Pipeline";
            doc.Build()["timeoutMinutes"] = 1;
            doc.Stage(0)["name"] = "Preview";
        });

        var result = Validate(text);

        Assert.Equal(["$.kind", "$.spec.build.timeoutMinutes", "$.spec.stages[0].name", "$.spec.deletionPolicy"], result.Errors.Select(e => e.Path));
    }

    [Fact]
    public void A_typed_document_is_checked_by_the_same_rules()
    {
        var document = Validate(Website).Document! with { Kind = "Other" };

        var error = Assert.Single(SpecValidator.Validate("store:website", document));

        Assert.Equal("store:website: $.kind: unsupported kind \"Other\"; expected \"PulumiPipeline\"", error.ToString());
    }

    [Fact]
    public void A_typed_document_with_null_parts_is_reported_not_thrown()
    {
        var valid = Validate(Website).Document!;
        var document = valid with { Spec = valid.Spec with { Stages = [null!, valid.Spec.Stages[1]] } };

        var errors = SpecValidator.Validate("store:website", document);

        Assert.Contains(errors, e => e.Path == "$.spec.stages[0]" && e.Message.Contains("not null", StringComparison.Ordinal));
    }
}
