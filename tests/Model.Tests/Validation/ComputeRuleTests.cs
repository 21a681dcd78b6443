using static Reconciler.Model.Tests.Validation.TestDocuments;

namespace Reconciler.Model.Tests.Validation;

/// <summary>Compute and environment type pairs that CodeBuild refuses at CreateProject are validation errors.</summary>
public class ComputeRuleTests
{
    private static string With(string computeType, string environmentType) => Mutate(doc =>
    {
        doc.Build()["computeType"] = computeType;
        doc.Build()["environmentType"] = environmentType;
    });

    [Theory]
    [InlineData("BUILD_LAMBDA_1GB", "LINUX_CONTAINER")]
    [InlineData("BUILD_LAMBDA_10GB", "ARM_CONTAINER")]
    [InlineData("BUILD_LAMBDA_4GB", "WINDOWS_SERVER_2019_CONTAINER")]
    public void A_Lambda_compute_type_needs_a_Lambda_environment_type(string compute, string environment) =>
        SingleError(With(compute, environment), "$.spec.build.computeType",
            "is a Lambda compute type", "ARM_LAMBDA_CONTAINER, LINUX_LAMBDA_CONTAINER", $"not \"{environment}\"");

    [Theory]
    [InlineData("BUILD_GENERAL1_SMALL", "LINUX_LAMBDA_CONTAINER")]
    [InlineData("BUILD_GENERAL1_LARGE", "ARM_LAMBDA_CONTAINER")]
    public void A_Lambda_environment_type_needs_a_Lambda_compute_type(string compute, string environment) =>
        SingleError(With(compute, environment), "$.spec.build.computeType",
            $"environmentType \"{environment}\" runs only on a Lambda compute type", $"not \"{compute}\"");

    [Fact]
    public void Attribute_based_compute_without_a_compute_configuration_is_rejected() =>
        SingleError(With("ATTRIBUTE_BASED_COMPUTE", "LINUX_CONTAINER"), "$.spec.build.computeType",
            "ATTRIBUTE_BASED_COMPUTE needs a computeConfiguration");

    [Theory]
    [InlineData("BUILD_GENERAL1_SMALL", "WINDOWS_SERVER_2019_CONTAINER", "BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE")]
    [InlineData("BUILD_GENERAL1_2XLARGE", "WINDOWS_CONTAINER", "BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE")]
    [InlineData("BUILD_GENERAL1_MEDIUM", "LINUX_GPU_CONTAINER", "BUILD_GENERAL1_SMALL, BUILD_GENERAL1_LARGE")]
    [InlineData("BUILD_GENERAL1_SMALL", "MAC_ARM", "BUILD_GENERAL1_MEDIUM, BUILD_GENERAL1_LARGE")]
    public void An_environment_type_with_a_compute_type_CodeBuild_does_not_offer_for_it_is_rejected(string compute, string environment, string offered) =>
        SingleError(With(compute, environment), "$.spec.build.computeType",
            $"CodeBuild does not offer \"{compute}\" for environmentType \"{environment}\"", $"it offers: {offered}");

    [Theory]
    [InlineData("BUILD_LAMBDA_1GB", "LINUX_LAMBDA_CONTAINER")]
    [InlineData("BUILD_LAMBDA_10GB", "ARM_LAMBDA_CONTAINER")]
    [InlineData("BUILD_GENERAL1_MEDIUM", "WINDOWS_SERVER_2019_CONTAINER")]
    [InlineData("BUILD_GENERAL1_LARGE", "LINUX_GPU_CONTAINER")]
    [InlineData("BUILD_GENERAL1_2XLARGE", "LINUX_CONTAINER")]
    [InlineData("BUILD_GENERAL1_XLARGE", "ARM_CONTAINER")]
    public void Pairs_CodeBuild_offers_are_accepted(string compute, string environment) => Valid(With(compute, environment));

    [Fact]
    public void A_compute_type_outside_the_enum_gives_only_the_enum_error() =>
        SingleError(With("BUILD_LAMBDA_3GB", "LINUX_CONTAINER"), "$.spec.build.computeType", "unknown compute type");
}
