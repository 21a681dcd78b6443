using System.Text.RegularExpressions;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.build: the CodeBuild image, compute and environment types, service role and timeout.</summary>
internal static partial class BuildRules
{
    /// <summary>CodeBuild accepts 5 minutes to 36 hours (CreateProject's BuildTimeOut shape).</summary>
    public const int MinTimeoutMinutes = 5;
    public const int MaxTimeoutMinutes = 2160;

    private const string BuildPath = "$.spec.build";

    [GeneratedRegex(@"^[\x21-\x7E]+\z", RegexOptions.CultureInvariant)]
    private static partial Regex Image();

    public static void Check(RuleContext context, BuildSettings? build, IReadOnlyDictionary<string, string>? annotations)
    {
        if (build is null)
        {
            context.Add(BuildPath, "required: the CodeBuild settings (image, computeType, serviceRoleArn, ...)");
            return;
        }
        var imagePath = JsonPath.Field(BuildPath, "image");
        if (string.IsNullOrEmpty(build.Image))
        {
            context.Add(imagePath, "required: a CodeBuild image such as \"aws/codebuild/standard:7.0\"");
        }
        else if (!Image().IsMatch(build.Image))
        {
            context.Add(imagePath, $"{Quoted.Text(build.Image)} is not an image reference; it must not contain spaces or control characters");
        }
        CheckEnum(context, JsonPath.Field(BuildPath, "computeType"), build.ComputeType, "compute type", AwsApiLimits.CodeBuild.ComputeTypes);
        CheckEnum(context, JsonPath.Field(BuildPath, "environmentType"), build.EnvironmentType, "environment type", AwsApiLimits.CodeBuild.EnvironmentTypes);
        if (AwsApiLimits.CodeBuild.ComputeTypes.Contains(build.ComputeType, StringComparer.Ordinal)
            && AwsApiLimits.CodeBuild.EnvironmentTypes.Contains(build.EnvironmentType, StringComparer.Ordinal))
        {
            ComputeRules.Check(context, build.ComputeType, build.EnvironmentType);
        }
        ArnRules.CheckRole(context, JsonPath.Field(BuildPath, "serviceRoleArn"), build.ServiceRoleArn, "CodeBuild");
        if (build.TimeoutMinutes is < MinTimeoutMinutes or > MaxTimeoutMinutes)
        {
            context.Add(JsonPath.Field(BuildPath, "timeoutMinutes"),
                $"{build.TimeoutMinutes} minutes is out of range; CodeBuild allows {MinTimeoutMinutes}..{MaxTimeoutMinutes} minutes");
        }
        var plainText = EnvironmentRules.PlainTextAllowed(context, annotations, build.Environment);
        EnvironmentRules.Check(context, JsonPath.Field(BuildPath, "environment"), build.Environment, plainText);
    }

    private static void CheckEnum(RuleContext context, string path, string? value, string what, IReadOnlyList<string> allowed)
    {
        if (!allowed.Contains(value ?? "", StringComparer.Ordinal))
        {
            context.Add(path, $"unknown {what} {Quoted.Text(value)}; CodeBuild allows: {Quoted.List(allowed)}");
        }
    }
}
