using System.Text.Json.Nodes;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

public class SpecRuleTests
{
    [Theory]
    [InlineData("pulumi/access-token", "a hierarchical name must start with \"/\"")]
    [InlineData("/aws/pulumi-token", "names starting with \"aws\" or \"ssm\" are reserved")]
    [InlineData("AWSToken", "names starting with \"aws\" or \"ssm\" are reserved")]
    [InlineData("ssm-pulumi", "names starting with \"aws\" or \"ssm\" are reserved")]
    [InlineData("/pulumi/access token", "it contains \" \"")]
    [InlineData("/pulumi/token:1", "it contains \":\"")]
    [InlineData("/pulumi//token", "it has an empty level")]
    [InlineData("/pulumi/token/", "it has an empty level")]
    [InlineData("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o/p", "it has 16 levels")]
    public void An_access_token_parameter_that_is_not_a_Parameter_Store_name_is_rejected(string name, string reason) =>
        SingleError(Mutate(doc => doc.Spec()["pulumi"]!["accessTokenParameter"] = name), "$.spec.pulumi.accessTokenParameter",
            $"is not a valid Parameter Store name: {reason}", "e.g. \"/pulumi/access-token\"");

    [Fact]
    public void An_access_token_parameter_over_2048_characters_is_rejected()
    {
        var name = "/" + string.Join('/', Enumerable.Repeat(new string('p', 200), 11));

        SingleError(Mutate(doc => doc.Spec()["pulumi"]!["accessTokenParameter"] = name), "$.spec.pulumi.accessTokenParameter",
            $"is not a valid Parameter Store name: it is {name.Length} characters long", "1-2048 characters");
    }

    [Theory]
    [InlineData("pulumi-token")]
    [InlineData("/pulumi/access-token")]
    [InlineData("/a/b/c/d/e/f/g/h/i/j/k/l/m/n/o")]
    [InlineData("/team_a/pulumi.token-1")]
    public void Valid_Parameter_Store_names_are_accepted(string name) =>
        Valid(Mutate(doc => doc.Spec()["pulumi"]!["accessTokenParameter"] = name));

    [Theory]
    [InlineData("3.140")]
    [InlineData("v3.140.0")]
    [InlineData("latest")]
    [InlineData("03.140.0")]
    public void A_cli_version_that_is_not_semver_is_rejected(string version) =>
        SingleError(Mutate(doc => doc.Spec()["pulumi"]!["cliVersion"] = version), "$.spec.pulumi.cliVersion",
            "is not a semantic version", "such as \"3.140.0\"");

    [Theory]
    [InlineData("3.140.0")]
    [InlineData("3.141.0-alpha.1+build.5")]
    public void Semantic_versions_are_accepted(string version) => Valid(Mutate(doc => doc.Spec()["pulumi"]!["cliVersion"] = version));

    [Theory]
    [InlineData("../infra")]
    [InlineData("/infra")]
    [InlineData("infra; rm -rf /")]
    [InlineData("infra/../../x")]
    public void A_work_dir_outside_the_repository_or_with_shell_characters_is_rejected(string dir) =>
        SingleError(Mutate(doc => doc.Spec()["pulumi"]!["workDir"] = dir), "$.spec.pulumi.workDir",
            "is not a directory inside the repository", "without \"..\"");

    [Fact]
    public void A_malformed_ESC_environment_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["pulumi"]!["escEnvironment"] = "acme/web site"), "$.spec.pulumi.escEnvironment",
            "is not a Pulumi ESC environment reference", "[org/][project/]environment");

    [Theory]
    [InlineData("http://github.com/acme/website.git")]
    [InlineData("git@github.com:acme/website.git")]
    [InlineData("ssh://git@github.com/acme/website.git")]
    [InlineData("github.com/acme/website")]
    public void A_source_location_that_is_not_an_https_URL_is_rejected(string location) =>
        SingleError(Mutate(doc => doc.Spec()["source"]!["location"] = location), "$.spec.source.location",
            "is not an https git URL", "such as \"https://github.com/acme/website.git\"");

    [Theory]
    [InlineData("https://github.com")]
    [InlineData("https://github.com/acme/website.git?ref=main")]
    [InlineData("https://github.com/acme/website.git#main")]
    public void A_source_location_without_a_repository_path_is_rejected(string location) =>
        SingleError(Mutate(doc => doc.Spec()["source"]!["location"] = location), "$.spec.source.location", "is not a git repository URL");

    [Fact]
    public void A_source_location_with_credentials_is_rejected_without_echoing_them()
    {
        var error = SingleError(Mutate(doc => doc.Spec()["source"]!["location"] = "https://x-token:ghp_abc123@github.com/acme/website.git"),
            "$.spec.source.location", "the URL carries credentials");

        Assert.DoesNotContain("ghp_abc123", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_source_type_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["source"]!["type"] = "CODECOMMIT"), "$.spec.source.type",
            "unknown source type \"CODECOMMIT\"", "allowed: GITHUB, GITHUB_ENTERPRISE, BITBUCKET, GITLAB, GITLAB_SELF_MANAGED");

    [Fact]
    public void A_malformed_connection_ARN_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["source"]!["connectionArn"] = "arn:aws:codestar:us-east-1:111122223333:connection/abc"),
            "$.spec.source.connectionArn", "is not a connection ARN", "arn:aws:codestar-connections:<region>:<12-digit account>:connection/<id>");

    [Fact]
    public void A_CodeConnections_ARN_is_accepted() =>
        Valid(Mutate(doc => doc.Spec()["source"]!["connectionArn"] = "arn:aws:codeconnections:eu-central-1:111122223333:connection/0f3c-77"));

    [Fact]
    public void An_unknown_drift_policy_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["driftPolicy"] = "Ignore"), "$.spec.driftPolicy", "unknown drift policy \"Ignore\"", "allowed: Correct", "or Detect");

    [Fact]
    public void An_unknown_deletion_policy_is_rejected() =>
        SingleError(Mutate(doc => doc.Spec()["deletionPolicy"] = "Orphan"), "$.spec.deletionPolicy", "unknown deletion policy \"Orphan\"", "allowed: Delete", "or Retain");
}
