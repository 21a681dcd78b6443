using System.Text.Json.Nodes;
using Reconciler.Model.Aws;
using Reconciler.Model.Aws.ApiModels;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

public class PipelineAndTagRuleTests
{
    [Fact]
    public void The_pipeline_document_is_valid() => Valid(WithPipeline());

    [Fact]
    public void An_enabled_pipeline_without_role_bucket_or_connection_names_each_missing_piece()
    {
        var text = Mutate(doc =>
        {
            doc.Spec()["pipeline"] = new JsonObject { ["enabled"] = true };
            doc.Spec()["source"]!.AsObject().Remove("connectionArn");
        });

        var errors = Validate(text).Errors;

        Assert.Collection(errors,
            e => Assert.Equal("test.json: $.spec.source.connectionArn: required when the pipeline is enabled: the CodeStar/CodeConnections connection ARN its source action uses", e.ToString()),
            e => Assert.Equal("test.json: $.spec.pipeline.roleArn: required: the IAM role CodePipeline assumes, as arn:aws:iam::<12-digit account>:role/<name>", e.ToString()),
            e => Assert.Equal("test.json: $.spec.pipeline.artifactBucket: required when the pipeline is enabled: the S3 bucket CodePipeline keeps its artifacts in", e.ToString()));
    }

    [Fact]
    public void A_disabled_pipeline_needs_nothing() =>
        Valid(Mutate(doc => doc.Spec()["pipeline"] = new JsonObject { ["enabled"] = false }));

    [Fact]
    public void A_pipeline_role_that_is_not_an_IAM_role_ARN_is_rejected() =>
        SingleError(WithPipeline(doc => doc.Spec()["pipeline"]!["roleArn"] = "arn:aws:iam::111122223333:policy/x"), "$.spec.pipeline.roleArn",
            "is not an IAM role ARN");

    [Theory]
    [InlineData("ab", "it is 2 characters long")]
    [InlineData("Acme-Artifacts", "it contains characters other than a-z, 0-9")]
    [InlineData("acme_artifacts", "it contains characters other than a-z, 0-9")]
    [InlineData("-acme", "it must start and end with a letter or digit")]
    [InlineData("acme..artifacts", "it contains \"..\"")]
    [InlineData("192.168.10.20", "it is formatted as an IP address")]
    [InlineData("xn--acme", "the prefix \"xn--\" is reserved")]
    [InlineData("acme-s3alias", "the suffix \"-s3alias\" is reserved")]
    public void An_artifact_bucket_that_is_not_a_valid_S3_name_is_rejected(string bucket, string reason) =>
        SingleError(WithPipeline(doc => doc.Spec()["pipeline"]!["artifactBucket"] = bucket), "$.spec.pipeline.artifactBucket",
            $"is not a valid S3 bucket name: {reason}", "use 3-63 characters a-z, 0-9, \".\" and \"-\"");

    [Fact]
    public void A_pipeline_with_only_pull_request_stages_is_rejected() =>
        SingleError(WithPipeline(doc => doc.Spec()["stages"]!.AsArray().RemoveRange(1, 2)), "$.spec.pipeline.enabled",
            "the pipeline would have no stage to run", "only push and tag stages run in it");

    [Fact]
    public void A_pipeline_with_more_push_branches_or_tags_than_its_trigger_takes_is_rejected()
    {
        Assert.Equal((1, AwsApiLimits.CodePipeline.GitPatternsMaxCount), ApiModels.CodePipeline.Length("GitBranchPatternList"));
        Assert.Equal((1, AwsApiLimits.CodePipeline.GitPatternsMaxCount), ApiModels.CodePipeline.Length("GitTagPatternList"));

        Valid(WithPipeline(doc => AddStages(doc, 7, i => new JsonObject { ["push"] = new JsonObject { ["branch"] = $"release/{i}" } })));
        SingleError(WithPipeline(doc => AddStages(doc, 8, i => new JsonObject { ["push"] = new JsonObject { ["branch"] = $"release/{i}" } })),
            "$.spec.stages", "9 different branches of push stages run in the pipeline; its git trigger takes at most 8");
        SingleError(WithPipeline(doc => AddStages(doc, 8, i => new JsonObject { ["tag"] = $"v{i}" })),
            "$.spec.stages", "9 different tags of tag stages run in the pipeline; its git trigger takes at most 8");
    }

    private static void AddStages(JsonObject doc, int count, Func<int, JsonObject> trigger)
    {
        for (var i = 0; i < count; i++)
        {
            doc.Spec()["stages"]!.AsArray().Add(new JsonObject
            {
                ["name"] = $"extra{i}", ["stack"] = "acme/website/staging", ["operation"] = "up", ["on"] = trigger(i),
            });
        }
    }

    [Fact]
    public void More_than_47_user_tags_are_rejected_because_three_ownership_tags_are_added()
    {
        Valid(Mutate(doc => doc.Spec()["tags"] = Tags(47)));

        SingleError(Mutate(doc => doc.Spec()["tags"] = Tags(48)), "$.spec.tags",
            "48 tags plus the 3 ownership tags the controller adds exceed AWS's limit of 50 per resource; set at most 47");
    }

    [Theory]
    [InlineData("aws:cost-center", "uses the prefix \"aws:\", which AWS reserves")]
    [InlineData("AWS:team", "uses the prefix \"aws:\", which AWS reserves")]
    public void Tag_keys_with_the_reserved_aws_prefix_are_rejected(string key, string reason) =>
        SingleError(Mutate(doc => doc.Spec()["tags"]![key] = "x"), $"$.spec.tags['{key}']", reason, "choose another key");

    [Theory]
    [InlineData("reconciler.io/spec")]
    [InlineData("reconciler.io/owner")]
    [InlineData("Reconciler.IO/uid")]
    public void Tag_keys_in_the_ownership_namespace_are_rejected(string key) =>
        SingleError(Mutate(doc => doc.Spec()["tags"]![key] = "x"), $"$.spec.tags['{key}']",
            "uses the prefix \"reconciler.io/\", which the controller reserves for its ownership tags");

    [Fact]
    public void A_tag_key_over_127_characters_is_rejected()
    {
        var key = new string('k', 128);

        SingleError(Mutate(doc => doc.Spec()["tags"]![key] = "x"), $"$.spec.tags.{key}", "tag key is 128 characters long; AWS allows 1..127");
    }

    [Fact]
    public void A_tag_value_over_255_characters_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["tags"]!["team"] = new string('v', 256)), "$.spec.tags.team",
            "tag value is 256 characters long; AWS allows 0..255");

    [Fact]
    public void An_empty_tag_key_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["tags"]![""] = "x"), "$.spec.tags['']", "a tag key may not be empty");

    [Theory]
    [InlineData("team#1")]
    [InlineData("team\n")]
    [InlineData("a,b")]
    public void Tag_keys_with_characters_AWS_refuses_are_rejected(string key) =>
        Assert.Contains("contains characters AWS does not allow; allowed: letters, digits, spaces and _ . : / = + - @",
            Assert.Single(Validate(Mutate(doc => doc.Spec()["tags"]![key] = "x")).Errors).Message, StringComparison.Ordinal);

    [Fact]
    public void Tag_values_with_characters_AWS_refuses_are_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["tags"]!["team"] = "web|api"), "$.spec.tags.team", "tag value \"web|api\" contains characters AWS does not allow");

    [Fact]
    public void Tags_in_any_script_with_the_allowed_punctuation_are_accepted() =>
        Valid(Mutate(doc => doc.Spec()["tags"] = new JsonObject { ["équipe"] = "données", ["a b:c/d=e+f-g@h_i.j"] = "" }));

    private static JsonObject Tags(int count)
    {
        var tags = new JsonObject();
        for (var i = 0; i < count; i++)
        {
            tags[$"tag-{i}"] = "x";
        }
        return tags;
    }
}
