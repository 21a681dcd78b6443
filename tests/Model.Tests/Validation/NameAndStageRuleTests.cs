using System.Text.Json.Nodes;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

public class NameAndStageRuleTests
{
    [Fact]
    public void A_wrong_apiVersion_is_rejected() =>
        SingleError(Mutate(doc => doc["apiVersion"] = "reconciler/v2"), "$.apiVersion",
            "unsupported apiVersion \"reconciler/v2\"", "expected \"reconciler/v1\"");

    [Fact]
    public void A_wrong_kind_is_rejected() =>
        SingleError(Mutate(doc => doc["kind"] = "Stack"), "$.kind", "unsupported kind \"Stack\"", "expected \"PulumiPipeline\"");

    [Theory]
    [InlineData("Website")]
    [InlineData("web_site")]
    [InlineData("-website")]
    [InlineData("website-")]
    [InlineData("web.site")]
    public void A_name_that_is_not_a_lower_case_DNS_label_is_rejected(string name) =>
        SingleError(Mutate(doc => doc["metadata"]!["name"] = name), "$.metadata.name",
            "is not a lower-case DNS label", "1-63 characters a-z, 0-9 and \"-\"");

    [Theory]
    [InlineData("a")]
    [InlineData("w3")]
    [InlineData("a-very-long-name-that-is-still-a-valid-dns-label-of-63-chars-x")]
    public void Names_that_are_DNS_labels_are_accepted(string name) => Valid(Mutate(doc => doc["metadata"]!["name"] = name));

    [Fact]
    public void A_name_too_long_for_the_derived_AWS_names_is_rejected_for_each_limit()
    {
        var name = new string('a', 140);
        var text = WithPipeline(doc => doc["metadata"]!["name"] = name);

        var errors = Validate(text).Errors;

        Assert.All(errors, e => Assert.Equal("$.metadata.name", e.Path));
        Assert.Collection(errors,
            e => Assert.Equal("the name is 140 characters long; a lower-case DNS label has at most 63 (a-z, 0-9 and \"-\")", e.Message),
            e => Assert.Contains("the CodeBuild project name derived for stage \"production\" (<name>-<stage>) would be 151 characters; CodeBuild allows 2..150", e.Message, StringComparison.Ordinal),
            e => Assert.Contains("140 characters exceed CodePipeline's limit of 100", e.Message, StringComparison.Ordinal));
    }

    [Fact]
    public void Duplicate_stage_names_are_rejected()
    {
        var text = Mutate(doc => doc.Stage(2)["name"] = "staging");

        SingleError(text, "$.spec.stages[2].name", "duplicate stage name \"staging\" (also at $.spec.stages[1])", "must be unique");
    }

    [Fact]
    public void A_malformed_stage_name_is_rejected() =>
        SingleError(Mutate(doc => doc.Stage(0)["name"] = "Pull Request"), "$.spec.stages[0].name",
            "\"Pull Request\" is not a lower-case DNS label", "a-z, 0-9 and \"-\"");

    [Fact]
    public void A_document_without_stages_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["stages"] = new JsonArray()), "$.spec.stages", "no stages", "at least one stage");

    [Fact]
    public void An_unknown_operation_is_rejected() =>
        SingleError(Mutate(doc => doc.Stage(1)["operation"] = "deploy"), "$.spec.stages[1].operation",
            "unknown operation \"deploy\"", "allowed: preview, up, refresh");

    [Fact]
    public void A_stage_without_a_trigger_is_rejected() =>
        SingleError(Mutate(doc => doc.Stage(1)["on"] = new JsonObject()), "$.spec.stages[1].on",
            "no trigger; set exactly one of pullRequest, push or tag");

    [Fact]
    public void A_stage_with_two_triggers_is_rejected() =>
        SingleError(Mutate(doc => doc.Stage(1)["on"]!["tag"] = "v1"), "$.spec.stages[1].on",
            "2 triggers (push, tag); set exactly one of pullRequest, push or tag");

    [Theory]
    [InlineData("a..b", "it contains \"..\"")]
    [InlineData("feature x", "it contains a space")]
    [InlineData("main~1", "it contains \"~\"")]
    [InlineData("main^", "it contains \"^\"")]
    [InlineData("a:b", "it contains \":\"")]
    [InlineData("what?", "it contains \"?\"")]
    [InlineData("rel*", "it contains \"*\"")]
    [InlineData("a[1]", "it contains \"[\"")]
    [InlineData("a\\b", "it contains \"\\\"")]
    [InlineData("tab\there", "it contains a control character")]
    [InlineData("del\u007f", "it contains a control character")]
    [InlineData("release/", "it starts or ends with \"/\"")]
    [InlineData("/release", "it starts or ends with \"/\"")]
    [InlineData("a//b", "it contains \"//\"")]
    [InlineData("main.", "it ends with \".\"")]
    [InlineData("main.lock", "the component \"main.lock\" ends with \".lock\"")]
    [InlineData("feature/x.lock/y", "the component \"x.lock\" ends with \".lock\"")]
    [InlineData(".hidden", "the component \".hidden\" starts with \".\"")]
    [InlineData("feature/.x", "the component \".x\" starts with \".\"")]
    [InlineData("a@{1}", "it contains \"@{\"")]
    [InlineData("@", "\"@\" alone is reserved")]
    [InlineData("-main", "it starts with \"-\"")]
    [InlineData("refs/heads/main", "it is a full ref")]
    [InlineData("HEAD", "HEAD is reserved")]
    [InlineData("", "it is empty")]
    public void A_branch_name_git_would_refuse_is_rejected(string branch, string reason) =>
        SingleError(Mutate(doc => doc.Stage(1)["on"]!["push"]!["branch"] = branch), "$.spec.stages[1].on.push.branch",
            $"is not a valid git branch name: {reason}", "use a name git accepts");

    [Theory]
    [InlineData("v1..2", "it contains \"..\"")]
    [InlineData("release candidate", "it contains a space")]
    [InlineData("v1.0.", "it ends with \".\"")]
    public void A_tag_name_git_would_refuse_is_rejected(string tag, string reason) =>
        SingleError(Mutate(doc => doc.Stage(2)["on"]!["tag"] = tag), "$.spec.stages[2].on.tag",
            $"is not a valid git tag name: {reason}", "such as \"production\" or \"v1.2.0\"");

    [Fact]
    public void A_pull_request_base_branch_is_checked_too() =>
        SingleError(Mutate(doc => doc.Stage(0)["on"]!["pullRequest"]!["baseBranch"] = "main:dev"), "$.spec.stages[0].on.pullRequest.baseBranch",
            "is not a valid git branch name: it contains \":\"");

    [Theory]
    [InlineData("main")]
    [InlineData("release/1.2")]
    [InlineData("feature/x-y_z")]
    [InlineData("a.b")]
    [InlineData("user@host")]
    [InlineData("ünïcode")]
    public void Branch_names_git_accepts_are_accepted(string branch) =>
        Valid(Mutate(doc => doc.Stage(1)["on"]!["push"]!["branch"] = branch));

    [Theory]
    [InlineData("acme/website")]
    [InlineData("acme/website/staging/extra")]
    [InlineData("acme website")]
    [InlineData("acme//staging")]
    [InlineData("acme/web$ite/staging")]
    public void A_malformed_stack_reference_is_rejected(string stack) =>
        SingleError(Mutate(doc => doc.Stage(1)["stack"] = stack), "$.spec.stages[1].stack",
            "is not a Pulumi stack reference", "use \"org/project/stack\" or \"stack\"");

    [Theory]
    [InlineData("staging")]
    [InlineData("acme/website.v2/dev_1")]
    public void Stack_references_in_either_form_are_accepted(string stack) => Valid(Mutate(doc => doc.Stage(1)["stack"] = stack));

    [Fact]
    public void Approval_without_the_pipeline_is_rejected() =>
        SingleError(Mutate(doc => doc.Stage(2)["approval"] = true), "$.spec.stages[2].approval",
            "approval needs the pipeline (spec.pipeline.enabled: true)", "CodeBuild alone cannot wait for a person");

    [Fact]
    public void Approval_on_a_pull_request_stage_is_rejected_even_with_the_pipeline() =>
        SingleError(WithPipeline(doc => doc.Stage(0)["approval"] = true), "$.spec.stages[0].approval",
            "a pull-request stage cannot wait for approval", "remove approval");

    [Fact]
    public void Approval_on_a_tag_stage_with_the_pipeline_is_accepted() =>
        Valid(WithPipeline(doc => doc.Stage(2)["approval"] = true));
}
