namespace Reconciler.Model.Validation.Rules;

/// <summary>
/// spec.build: the compute type and environment type pairs CodeBuild refuses for an on-demand project (its
/// "Build environment compute modes and types" page and the ProjectEnvironment reference). Each value may be in
/// CodeBuild's enum and the pair still be refused at CreateProject, which would stall the spec after apply.
/// </summary>
internal static class ComputeRules
{
    private const string BuildPath = "$.spec.build";
    private const string LambdaComputePrefix = "BUILD_LAMBDA_";
    private const string AttributeBased = "ATTRIBUTE_BASED_COMPUTE";

    private static readonly string[] LambdaEnvironments = ["ARM_LAMBDA_CONTAINER", "LINUX_LAMBDA_CONTAINER"];

    // The on-demand EC2 table: environment types whose compute types are a strict subset of BUILD_GENERAL1_*.
    private static readonly Dictionary<string, string[]> OnDemandComputeTypes = new(StringComparer.Ordinal)
    {
        ["WINDOWS_CONTAINER"] = ["BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"],
        ["WINDOWS_SERVER_2019_CONTAINER"] = ["BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"],
        ["LINUX_GPU_CONTAINER"] = ["BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_LARGE"],
        ["MAC_ARM"] = ["BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE"],
    };

    /// <summary>Adds an error for a pair CodeBuild refuses; values outside the enums are left to the enum check.</summary>
    public static void Check(RuleContext context, string computeType, string environmentType)
    {
        var computePath = JsonPath.Field(BuildPath, "computeType");
        var lambdaCompute = computeType.StartsWith(LambdaComputePrefix, StringComparison.Ordinal);
        var lambdaEnvironment = LambdaEnvironments.Contains(environmentType, StringComparer.Ordinal);
        if (computeType == AttributeBased)
        {
            context.Add(computePath,
                $"{AttributeBased} needs a computeConfiguration (vCPUs, memory, disk), which spec.build does not carry; " +
                "choose a BUILD_GENERAL1_* or BUILD_LAMBDA_* compute type");
        }
        else if (lambdaCompute && !lambdaEnvironment)
        {
            context.Add(computePath,
                $"{Quoted.Text(computeType)} is a Lambda compute type and runs only with environmentType {Quoted.List(LambdaEnvironments)}, " +
                $"not {Quoted.Text(environmentType)}");
        }
        else if (!lambdaCompute && lambdaEnvironment)
        {
            context.Add(computePath,
                $"environmentType {Quoted.Text(environmentType)} runs only on a Lambda compute type (BUILD_LAMBDA_1GB..BUILD_LAMBDA_10GB), " +
                $"not {Quoted.Text(computeType)}");
        }
        else if (OnDemandComputeTypes.TryGetValue(environmentType, out var allowed) && !allowed.Contains(computeType, StringComparer.Ordinal))
        {
            context.Add(computePath,
                $"CodeBuild does not offer {Quoted.Text(computeType)} for environmentType {Quoted.Text(environmentType)}; " +
                $"it offers: {Quoted.List(allowed)}");
        }
    }
}
