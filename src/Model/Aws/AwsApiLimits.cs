namespace Reconciler.Model.Aws;

/// <summary>
/// Limits and enums from the official AWS API models (shared/aws-models) that validation enforces.
/// Copied here so Model does no file I/O; AwsApiLimitsTests pins every value to the model files.
/// </summary>
public static class AwsApiLimits
{
    /// <summary>CodeBuild (codebuild-2016-10-06).</summary>
    public static class CodeBuild
    {
        /// <summary>Shape ProjectName.</summary>
        public const int ProjectNameMinLength = 2;
        public const int ProjectNameMaxLength = 150;
        public const string ProjectNamePattern = @"^[A-Za-z0-9][A-Za-z0-9\-_]{1,149}$";

        /// <summary>Shape ComputeType.</summary>
        public static readonly IReadOnlyList<string> ComputeTypes =
        [
            "ATTRIBUTE_BASED_COMPUTE", "BUILD_GENERAL1_2XLARGE", "BUILD_GENERAL1_LARGE", "BUILD_GENERAL1_MEDIUM",
            "BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_XLARGE", "BUILD_LAMBDA_10GB", "BUILD_LAMBDA_1GB",
            "BUILD_LAMBDA_2GB", "BUILD_LAMBDA_4GB", "BUILD_LAMBDA_8GB",
        ];

        /// <summary>Shape EnvironmentType.</summary>
        public static readonly IReadOnlyList<string> EnvironmentTypes =
        [
            "ARM_CONTAINER", "ARM_EC2", "ARM_LAMBDA_CONTAINER", "LINUX_CONTAINER", "LINUX_EC2", "LINUX_GPU_CONTAINER",
            "LINUX_LAMBDA_CONTAINER", "MAC_ARM", "WINDOWS_CONTAINER", "WINDOWS_EC2", "WINDOWS_SERVER_2019_CONTAINER",
        ];

        /// <summary>Shape EnvironmentVariableType.</summary>
        public static readonly IReadOnlyList<string> EnvironmentVariableTypes = ["PLAINTEXT", "PARAMETER_STORE", "SECRETS_MANAGER"];

        /// <summary>Shapes TagList, KeyInput and ValueInput.</summary>
        public const int MaxTags = 50;
        public const int TagKeyMaxLength = 127;
        public const int TagValueMaxLength = 255;
        public const string TagPattern = @"^([\p{L}\p{Z}\p{N}_.:/=@+\-]*)$";
    }

    /// <summary>CodePipeline (codepipeline-2015-07-09).</summary>
    public static class CodePipeline
    {
        /// <summary>Shape PipelineName.</summary>
        public const int PipelineNameMaxLength = 100;
        public const string PipelineNamePattern = @"^[A-Za-z0-9.@\-_]+$";

        /// <summary>Shapes TagKey and TagValue.</summary>
        public const int TagKeyMaxLength = 128;
        public const int TagValueMaxLength = 256;

        /// <summary>Shapes GitBranchPatternList and GitTagPatternList: the patterns one trigger filter may include.</summary>
        public const int GitPatternsMaxCount = 8;
    }

    /// <summary>Systems Manager (ssm-2014-11-06).</summary>
    public static class Ssm
    {
        /// <summary>Shape PSParameterName.</summary>
        public const int ParameterNameMaxLength = 2048;
    }
}
