using System.Text.Json.Nodes;
using Reconciler.Model.Rendering;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>Review stacks: the rules on a review stage, and what it renders (two filter groups, a buildspec that deploys or destroys per pull request).</summary>
public class ReviewStackTests
{
    /// <summary>The website document whose preview stage becomes a review stage.</summary>
    private static string Review(Action<JsonObject>? change = null, string sourceType = "GITHUB") => Mutate(doc =>
    {
        doc.Spec()["source"]!["type"] = sourceType;
        doc.Spec()["pulumi"]!["escEnvironment"] = "acme/website-aws";
        var stage = doc.Stage(0);
        stage["operation"] = "up";
        stage["reviewStack"] = new JsonObject { ["prefix"] = "pr-" };
        change?.Invoke(doc);
    });

    private static DesiredProject RenderReview(string text)
    {
        var result = Validate(text);
        Assert.True(result.IsValid, string.Join("\n", result.Errors));
        return PipelineRenderer.Render(result.Document!).Projects[0];
    }

    [Fact]
    public void A_review_stage_is_valid() => Valid(Review());

    [Fact]
    public void A_review_stack_on_a_push_stage_is_rejected() =>
        SingleError(Mutate(doc => doc.Stage(1)["reviewStack"] = new JsonObject()), "$.spec.stages[1].reviewStack",
            "a review stack belongs to a pull request; only a stage triggered by pullRequest can have one");

    [Fact]
    public void A_review_stage_that_previews_is_rejected() =>
        SingleError(Review(doc => doc.Stage(0)["operation"] = "preview"), "$.spec.stages[0].operation",
            "a review-stack stage deploys each pull request's stack; set operation to \"up\" (found \"preview\")");

    [Fact]
    public void A_review_stage_needs_a_full_base_stack() =>
        SingleError(Review(doc => doc.Stage(0)["stack"] = "staging"), "$.spec.stages[0].stack",
            "\"staging\" is not a full stack reference", "<org>/<project>/<prefix><number>");

    [Theory]
    [InlineData("", "it is empty")]
    [InlineData("pr/", "it has characters a Pulumi stack name cannot hold")]
    [InlineData("pr ", "it has characters a Pulumi stack name cannot hold")]
    public void A_prefix_a_stack_name_cannot_hold_is_rejected(string prefix, string problem) =>
        SingleError(Review(doc => doc.Stage(0)["reviewStack"]!["prefix"] = prefix), "$.spec.stages[0].reviewStack.prefix",
            $"is not a review stack prefix: {problem}", "use 1-90 of A-Z");

    [Fact]
    public void A_prefix_that_leaves_no_room_for_a_10_digit_number_in_100_characters_is_rejected()
    {
        SingleError(Review(doc => doc.Stage(0)["reviewStack"]!["prefix"] = new string('p', 91)), "$.spec.stages[0].reviewStack.prefix",
            "it is 91 characters long, and with a pull-request number of up to 10 digits the stack name would pass Pulumi's 100");
        Valid(Review(doc => doc.Stage(0)["reviewStack"]!["prefix"] = new string('p', 90)));
    }

    [Fact]
    public void The_prefix_defaults_to_pr_dash()
    {
        var project = RenderReview(Review(doc => doc.Stage(0)["reviewStack"] = new JsonObject()));

        Assert.Contains("REVIEW_STACK=acme/website/pr-\"$PR_NUMBER\"", project.Project.Source.Buildspec, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GITHUB", "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED")]
    [InlineData("GITHUB_ENTERPRISE", "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED")]
    [InlineData("GITLAB", "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED")]
    [InlineData("GITLAB_SELF_MANAGED", "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED,PULL_REQUEST_REOPENED")]
    [InlineData("BITBUCKET", "PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED")]
    public void The_webhook_has_a_group_for_open_pull_requests_and_one_for_merged_or_closed_ones(string sourceType, string openEvents)
    {
        var webhook = RenderReview(Review(sourceType: sourceType)).Webhook!;

        Assert.Equal(
            [
                [("EVENT", openEvents), ("BASE_REF", "^refs/heads/main$")],
                [("EVENT", "PULL_REQUEST_MERGED,PULL_REQUEST_CLOSED"), ("BASE_REF", "^refs/heads/main$")],
            ],
            webhook.FilterGroups!.Select(g => g.Select(f => (f.Type, f.Pattern)).ToList()).ToList());
    }

    [Fact]
    public void A_Bitbucket_preview_stage_asks_for_no_reopened_event_which_Bitbucket_webhooks_do_not_have()
    {
        var result = Validate(Mutate(doc => doc.Spec()["source"]!["type"] = "BITBUCKET"));

        var webhook = PipelineRenderer.Render(result.Document!).Projects[0].Webhook!;

        Assert.Equal("PULL_REQUEST_CREATED,PULL_REQUEST_UPDATED", Assert.Single(webhook.FilterGroups!).First().Pattern);
    }

    [Fact]
    public void Every_provider_the_schema_accepts_can_signal_the_end_of_a_pull_request()
    {
        // The validator refuses a review stack on a provider without merge/close events; CodeBuild's documentation
        // lists both for each of the webhook providers the schema allows, so none is refused today.
        foreach (var sourceType in Reconciler.Model.Validation.Rules.SourceRules.Types)
        {
            Assert.Equal(["PULL_REQUEST_MERGED", "PULL_REQUEST_CLOSED"], SourceProviders.EndEvents(sourceType));
            Valid(Review(sourceType: sourceType));
        }
        Assert.Empty(SourceProviders.EndEvents("CODECOMMIT"));
    }

    [Fact]
    public void The_buildspec_takes_the_number_from_the_webhook_trigger_copies_the_base_config_deploys_and_destroys_on_the_end()
    {
        var buildspec = RenderReview(Review()).Project.Source.Buildspec!;

        Assert.Contains("- 'PR_NUMBER=\"${CODEBUILD_WEBHOOK_TRIGGER#pr/}\"'", buildspec, StringComparison.Ordinal);
        Assert.Contains("\"$PR_NUMBER\" =~ ^[0-9]+$ ]] || {", buildspec, StringComparison.Ordinal);
        Assert.Contains("- REVIEW_STACK=acme/website/pr-\"$PR_NUMBER\"", buildspec, StringComparison.Ordinal);
        Assert.Contains("== PULL_REQUEST_MERGED || \"$CODEBUILD_WEBHOOK_EVENT\" == PULL_REQUEST_CLOSED ]]; then REVIEW_ACTION=destroy; else REVIEW_ACTION=up; fi",
            buildspec, StringComparison.Ordinal);
        Assert.Contains("pulumi stack select \"$REVIEW_STACK\" --non-interactive || pulumi stack init \"$REVIEW_STACK\" --copy-config-from acme/website/staging --non-interactive",
            buildspec, StringComparison.Ordinal);
        Assert.Contains("then pulumi config env add acme/website-aws --yes --non-interactive; fi", buildspec, StringComparison.Ordinal);
        Assert.Contains("then pulumi up --yes --non-interactive; fi", buildspec, StringComparison.Ordinal);
        Assert.EndsWith(
            "- 'if [[ \"$REVIEW_ACTION\" == destroy ]] && pulumi stack select \"$REVIEW_STACK\" --non-interactive; then pulumi destroy --yes --non-interactive && pulumi stack rm \"$REVIEW_STACK\" --yes --non-interactive; fi'\n",
            buildspec, StringComparison.Ordinal);
        Assert.DoesNotContain("pulumi stack select acme/website/staging", buildspec, StringComparison.Ordinal);
    }
}
