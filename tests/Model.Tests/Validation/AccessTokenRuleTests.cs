using System.Text.Json.Nodes;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

/// <summary>spec.pulumi.accessToken: a parameter or a secret, exactly one, and the short form accessTokenParameter.</summary>
public class AccessTokenRuleTests
{
    private static string WithToken(JsonObject token) => Mutate(doc =>
    {
        var pulumi = doc.Spec()["pulumi"]!.AsObject();
        pulumi.Remove("accessTokenParameter");
        pulumi["accessToken"] = token;
    });

    [Theory]
    [InlineData("pulumi/access-token")]
    [InlineData("arn:aws:secretsmanager:us-east-1:111122223333:secret:pulumi/access-token-AbCdEf")]
    [InlineData("arn:aws-us-gov:secretsmanager:us-gov-west-1:111122223333:secret:token")]
    public void A_secret_by_name_or_ARN_is_accepted(string secret) =>
        Valid(WithToken(new JsonObject { ["secret"] = secret, ["jsonKey"] = "token", ["versionStage"] = "AWSCURRENT" }));

    [Fact]
    public void A_parameter_in_the_long_form_is_accepted() => Valid(WithToken(new JsonObject { ["parameter"] = "/pulumi/access-token" }));

    [Fact]
    public void Neither_form_is_an_error_at_the_pulumi_section() =>
        SingleError(Mutate(doc => doc.Spec()["pulumi"]!.AsObject().Remove("accessTokenParameter")), "$.spec.pulumi",
            "required: where the Pulumi access token lives", "accessTokenParameter (the short form of a parameter)");

    [Fact]
    public void Both_forms_is_an_error_naming_the_short_form() =>
        SingleError(Mutate(doc => doc.Spec()["pulumi"]!["accessToken"] = new JsonObject { ["secret"] = "pulumi-token" }),
            "$.spec.pulumi.accessTokenParameter", "accessTokenParameter is the short form of accessToken.parameter; give one of them, not both");

    [Fact]
    public void Parameter_and_secret_together_are_rejected() =>
        SingleError(WithToken(new JsonObject { ["parameter"] = "/p", ["secret"] = "s" }), "$.spec.pulumi.accessToken",
            "both parameter and secret; set exactly one of parameter (Parameter Store) or secret (Secrets Manager)");

    [Fact]
    public void An_empty_reference_is_rejected() =>
        SingleError(WithToken(new JsonObject()), "$.spec.pulumi.accessToken", "no token reference; set exactly one of parameter");

    [Theory]
    [InlineData("jsonKey", "token")]
    [InlineData("versionStage", "AWSCURRENT")]
    public void Secret_fields_on_a_parameter_are_rejected(string field, string value) =>
        SingleError(WithToken(new JsonObject { ["parameter"] = "/pulumi/token", [field] = value }), $"$.spec.pulumi.accessToken.{field}",
            $"{field} applies to a Secrets Manager secret, not to a parameter");

    [Theory]
    [InlineData("pulumi token", "it has characters a secret name cannot hold")]
    [InlineData("pulumi:token", "it has characters a secret name cannot hold")]
    public void A_secret_name_with_other_characters_is_rejected(string secret, string problem) =>
        SingleError(WithToken(new JsonObject { ["secret"] = secret }), "$.spec.pulumi.accessToken.secret",
            $"is not a valid Secrets Manager secret name: {problem}", "or its full ARN");

    [Fact]
    public void A_secret_name_over_512_characters_is_rejected() =>
        SingleError(WithToken(new JsonObject { ["secret"] = new string('s', 513) }), "$.spec.pulumi.accessToken.secret", "it is 513 characters long");

    [Theory]
    [InlineData("arn:aws:secretsmanager:us-east-1:1111:secret:token")]
    [InlineData("arn:aws:ssm:us-east-1:111122223333:parameter/token")]
    public void A_malformed_secret_ARN_is_rejected(string arn) =>
        SingleError(WithToken(new JsonObject { ["secret"] = arn }), "$.spec.pulumi.accessToken.secret", "is not a Secrets Manager secret ARN");

    [Theory]
    [InlineData("jsonKey", "a:b", "must be non-empty and hold no \":\"")]
    [InlineData("versionStage", "AWS:CURRENT", "is not a staging label")]
    [InlineData("versionId", "v1", "Secrets Manager's ids are 32-64 characters")]
    public void Secret_parts_CodeBuild_cannot_read_are_rejected(string field, string value, string fragment) =>
        SingleError(WithToken(new JsonObject { ["secret"] = "pulumi-token", [field] = value }), $"$.spec.pulumi.accessToken.{field}", fragment);

    [Fact]
    public void An_unknown_field_in_the_reference_is_reported_with_a_suggestion() =>
        SingleError(WithToken(new JsonObject { ["secret"] = "pulumi-token", ["jsonkey"] = "token" }), "$.spec.pulumi.accessToken.jsonkey",
            "unknown field \"jsonkey\"; did you mean \"jsonKey\"?");

    [Theory]
    [InlineData("pulumi-token", null, null, null, "pulumi-token")]
    [InlineData("pulumi-token", "token", null, null, "pulumi-token:token")]
    [InlineData("pulumi-token", null, "AWSPREVIOUS", null, "pulumi-token::AWSPREVIOUS")]
    [InlineData("arn:aws:secretsmanager:us-east-1:111122223333:secret:t-AbCdEf", "k", null, "0123456789abcdef0123456789abcdef",
        "arn:aws:secretsmanager:us-east-1:111122223333:secret:t-AbCdEf:k::0123456789abcdef0123456789abcdef")]
    public void A_secret_renders_as_CodeBuilds_SECRETS_MANAGER_reference(string secret, string? key, string? stage, string? id, string expected)
    {
        var token = new JsonObject { ["secret"] = secret };
        if (key is not null) { token["jsonKey"] = key; }
        if (stage is not null) { token["versionStage"] = stage; }
        if (id is not null) { token["versionId"] = id; }
        var result = Validate(WithToken(token));
        Assert.True(result.IsValid, string.Join("\n", result.Errors));

        var state = PipelineRenderer.Render(result.Document!);

        Assert.All(state.Projects, p =>
        {
            var variable = p.Project.Environment.EnvironmentVariables!.Single(v => v.Name == "PULUMI_ACCESS_TOKEN");
            Assert.Equal("SECRETS_MANAGER", variable.Type);
            Assert.Equal(expected, variable.Value);
        });
    }

    [Fact]
    public void The_short_form_renders_exactly_as_the_long_form_parameter()
    {
        var shortForm = PipelineRenderer.Render(Validate(Website).Document!);
        var longForm = PipelineRenderer.Render(Validate(WithToken(new JsonObject { ["parameter"] = "/pulumi/access-token" })).Document!);

        Assert.Equal(
            shortForm.Projects.Select(p => p.Project.Environment.EnvironmentVariables!.Last()),
            longForm.Projects.Select(p => p.Project.Environment.EnvironmentVariables!.Last()));
        Assert.Equal(new AccessTokenSpec { Parameter = "/pulumi/access-token" }, Validate(Website).Document!.Spec.Pulumi.Token());
    }
}
