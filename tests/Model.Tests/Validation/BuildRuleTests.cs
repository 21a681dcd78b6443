using System.Text.Json.Nodes;
using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

public class BuildRuleTests
{
    [Theory]
    [InlineData("pulumi-codebuild")]
    [InlineData("arn:aws:iam::1111:role/pulumi")]
    [InlineData("arn:aws:iam::111122223333:user/pulumi")]
    [InlineData("arn:aws:s3:::pulumi")]
    [InlineData("arn:aws:iam::111122223333:role/")]
    [InlineData("arn:aws:iam::111122223333:role/has space")]
    [InlineData("arn:aws:iam::111122223333:role/pulumi\n")]
    public void A_service_role_that_is_not_an_IAM_role_ARN_is_rejected(string arn) =>
        SingleError(Mutate(doc => doc.Build()["serviceRoleArn"] = arn), "$.spec.build.serviceRoleArn",
            "is not an IAM role ARN", "expected arn:aws:iam::<12-digit account>:role/[<path>/]<name>");

    [Theory]
    [InlineData("arn:aws:iam::111122223333:role/service-role/pulumi-codebuild")]
    [InlineData("arn:aws-cn:iam::111122223333:role/pulumi")]
    [InlineData("arn:aws:iam::111122223333:role/a+b=c,d.e@f_g-h")]
    public void IAM_role_ARNs_with_paths_and_partitions_are_accepted(string arn) =>
        Valid(Mutate(doc => doc.Build()["serviceRoleArn"] = arn));

    [Fact]
    public void A_compute_type_outside_CodeBuilds_enum_is_rejected() =>
        SingleError(Mutate(doc => doc.Build()["computeType"] = "BUILD_GENERAL1_HUGE"), "$.spec.build.computeType",
            "unknown compute type \"BUILD_GENERAL1_HUGE\"", "CodeBuild allows: ATTRIBUTE_BASED_COMPUTE, BUILD_GENERAL1_2XLARGE");

    [Fact]
    public void An_environment_type_outside_CodeBuilds_enum_is_rejected() =>
        SingleError(Mutate(doc => doc.Build()["environmentType"] = "LINUX"), "$.spec.build.environmentType",
            "unknown environment type \"LINUX\"", "CodeBuild allows: ARM_CONTAINER", "LINUX_CONTAINER");

    [Theory]
    [InlineData(4)]
    [InlineData(2161)]
    [InlineData(0)]
    [InlineData(-60)]
    public void A_timeout_outside_5_to_2160_minutes_is_rejected(int minutes) =>
        SingleError(Mutate(doc => doc.Build()["timeoutMinutes"] = minutes), "$.spec.build.timeoutMinutes",
            "is out of range", "5..2160");

    [Theory]
    [InlineData(5)]
    [InlineData(2160)]
    public void Timeouts_at_the_limits_are_accepted(int minutes) => Valid(Mutate(doc => doc.Build()["timeoutMinutes"] = minutes));

    [Fact]
    public void A_missing_timeout_takes_the_default() =>
        Assert.Equal(60, Validate(Mutate(doc => doc.Build().Remove("timeoutMinutes"))).Document!.Spec.Build.TimeoutMinutes);

    [Fact]
    public void Duplicate_environment_variable_names_are_rejected() =>
        SingleError(Mutate(doc => Environment(doc).Add(Variable("AWS_REGION", "eu-west-1"))), "$.spec.build.environment[1].name",
            "duplicate environment variable \"AWS_REGION\" (also at $.spec.build.environment[0])");

    [Theory]
    [InlineData("1ST")]
    [InlineData("MY-VAR")]
    [InlineData("MY VAR")]
    [InlineData("")]
    public void A_malformed_environment_variable_name_is_rejected(string name) =>
        SingleError(Mutate(doc => Environment(doc).Add(Variable(name, "x"))), "$.spec.build.environment[1].name",
            "is not a valid environment variable name", "letters, digits and \"_\", not starting with a digit");

    [Fact]
    public void An_unknown_environment_variable_type_is_rejected() =>
        SingleError(Mutate(doc => Environment(doc).Add(Variable("SLACK_URL", "/slack", "SSM"))), "$.spec.build.environment[1].type",
            "unknown type \"SSM\"", "allowed: PLAINTEXT, PARAMETER_STORE, SECRETS_MANAGER");

    [Theory]
    [InlineData("GITHUB_TOKEN")]
    [InlineData("NPM_AUTH_TOKEN")]
    [InlineData("DB_PASSWORD")]
    [InlineData("dbPassword")]
    [InlineData("MYSQL_PASSWD")]
    [InlineData("CLIENT_SECRET")]
    [InlineData("AWS_SECRET_ACCESS_KEY")]
    [InlineData("STRIPE_API_KEY")]
    [InlineData("SSH_PRIVATE_KEY")]
    [InlineData("GCP_CREDENTIALS")]
    [InlineData("GHTOKEN")]
    public void A_plain_text_variable_named_like_a_secret_is_rejected_without_echoing_its_value(string name)
    {
        const string value = "hunter2-very-secret";
        var text = Mutate(doc => Environment(doc).Add(Variable(name, value)));

        var error = SingleError(text, "$.spec.build.environment[1]",
            $"\"{name}\" looks like a secret but is PLAINTEXT", "Parameter Store", "type: PARAMETER_STORE and the parameter name as value");
        Assert.DoesNotContain(value, error.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("GITHUB_TOKEN", "PARAMETER_STORE")]
    [InlineData("DB_PASSWORD", "SECRETS_MANAGER")]
    public void A_secret_referenced_from_a_store_is_accepted(string name, string type) =>
        Valid(Mutate(doc => Environment(doc).Add(Variable(name, "/ci/secret", type))));

    [Theory]
    [InlineData("TOKENIZER_MODEL")]
    [InlineData("KEYBOARD_LAYOUT")]
    [InlineData("PASSTHROUGH")]
    [InlineData("SLACK_WEBHOOK_URL")]
    [InlineData("OAUTH_TOKEN_URL")]
    [InlineData("DB_PASSWORD_FILE")]
    [InlineData("AWS_ACCESS_KEY_ID")]
    [InlineData("GITHUB_TOKEN_PARAMETER")]
    [InlineData("CLIENT_SECRET_ARN")]
    public void Ordinary_names_that_merely_contain_secret_words_are_accepted(string name) =>
        Valid(Mutate(doc => Environment(doc).Add(Variable(name, "x"))));

    [Fact]
    public void A_name_that_looks_secret_is_accepted_as_plain_text_when_the_annotation_lists_it() =>
        Valid(Mutate(doc =>
        {
            doc["metadata"]!["annotations"] = new JsonObject { ["reconciler.io/plaintext-variables"] = "BUILD_PASS, LINT_TOKEN" };
            Environment(doc).Add(Variable("BUILD_PASS", "not-a-secret"));
            Environment(doc).Add(Variable("LINT_TOKEN", "public-sentinel"));
        }));

    [Fact]
    public void The_annotation_lists_only_plain_text_variables_of_the_environment()
    {
        var text = Mutate(doc =>
        {
            doc["metadata"]!["annotations"] = new JsonObject { ["reconciler.io/plaintext-variables"] = "GITHUB_TOKEN,GITHUB_TOKN" };
            Environment(doc).Add(Variable("GITHUB_TOKEN", "/ci/github", "PARAMETER_STORE"));
        });

        var errors = Validate(text).Errors;

        Assert.Equal(2, errors.Count);
        Assert.All(errors, e => Assert.Equal("$.metadata.annotations['reconciler.io/plaintext-variables']", e.Path));
        Assert.Contains(errors, e => e.Message.StartsWith("lists \"GITHUB_TOKEN\", which is not a PLAINTEXT variable", StringComparison.Ordinal));
        Assert.Contains(errors, e => e.Message.StartsWith("lists \"GITHUB_TOKN\", which is not a PLAINTEXT variable", StringComparison.Ordinal));
    }

    [Fact]
    public void A_name_the_annotation_does_not_list_is_still_rejected() =>
        SingleError(Mutate(doc =>
        {
            doc["metadata"]!["annotations"] = new JsonObject { ["reconciler.io/plaintext-variables"] = "BUILD_PASS" };
            Environment(doc).Add(Variable("BUILD_PASS", "x"));
            Environment(doc).Add(Variable("DEPLOY_TOKEN", "y"));
        }), "$.spec.build.environment[2]", "\"DEPLOY_TOKEN\" looks like a secret", "list it in the annotation reconciler.io/plaintext-variables");

    [Theory]
    [InlineData("PLAINTEXT")]
    [InlineData("PARAMETER_STORE")]
    public void PULUMI_ACCESS_TOKEN_in_the_environment_is_rejected(string type) =>
        SingleError(Mutate(doc => Environment(doc).Add(Variable("PULUMI_ACCESS_TOKEN", "/pulumi/token", type))), "$.spec.build.environment[1].name",
            "PULUMI_ACCESS_TOKEN is set by the controller from spec.pulumi.accessToken", "remove it");

    [Fact]
    public void Names_reserved_by_CodeBuild_are_rejected() =>
        SingleError(Mutate(doc => Environment(doc).Add(Variable("CODEBUILD_BUILD_ID", "x"))), "$.spec.build.environment[1].name",
            "names starting with CODEBUILD_ are reserved by CodeBuild");

    [Fact]
    public void A_store_reference_without_a_name_is_rejected() =>
        SingleError(Mutate(doc => Environment(doc).Add(Variable("SLACK_URL", "", "PARAMETER_STORE"))), "$.spec.build.environment[1].value",
            "a PARAMETER_STORE variable needs the name of the parameter as its value");

    [Fact]
    public void An_image_with_spaces_is_rejected() =>
        SingleError(Mutate(doc => doc.Build()["image"] = "aws/codebuild/standard 7.0"), "$.spec.build.image", "must not contain spaces");

    private static JsonArray Environment(JsonObject doc) => doc.Build()["environment"]!.AsArray();

    private static JsonObject Variable(string name, string value, string? type = null)
    {
        var variable = new JsonObject { ["name"] = name, ["value"] = value };
        if (type is not null)
        {
            variable["type"] = type;
        }
        return variable;
    }
}
