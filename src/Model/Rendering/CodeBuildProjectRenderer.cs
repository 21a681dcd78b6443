using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Rendering;

/// <summary>Turns one stage of a spec into its CodeBuild project (the CreateProject/UpdateProject body).</summary>
public static class CodeBuildProjectRenderer
{
    /// <summary>CodeBuild's <c>ProjectDescription</c> length limit.</summary>
    public const int DescriptionMaxLength = 255;

    /// <summary>The project name of a stage: <c>&lt;spec&gt;-&lt;stage&gt;</c>.</summary>
    public static string ProjectName(string specName, string stageName) => $"{specName}-{stageName}";

    /// <summary>
    /// The project of one stage. A stage that runs as a pipeline action takes its source and
    /// artifacts from CodePipeline; any other stage checks out the repository itself.
    /// </summary>
    public static CodeBuildProject Render(PulumiPipeline document, StageSpec stage, bool runsInPipeline, IReadOnlyList<AwsTag> tags)
    {
        var spec = document.Spec;
        var buildspec = BuildspecRenderer.Render(spec, stage);
        return new CodeBuildProject
        {
            Name = ProjectName(document.Metadata.Name, stage.Name),
            Description = Description(document.Metadata.Name, stage),
            Source = runsInPipeline
                ? new ProjectSource { Type = "CODEPIPELINE", Buildspec = buildspec }
                : new ProjectSource
                {
                    Type = spec.Source.Type,
                    Location = spec.Source.Location,
                    GitCloneDepth = 1,
                    Buildspec = buildspec,
                    ReportBuildStatus = stage.On.PullRequest is not null ? true : null,
                    Auth = string.IsNullOrEmpty(spec.Source.ConnectionArn)
                        ? null
                        : new SourceAuth { Type = "CODECONNECTIONS", Resource = spec.Source.ConnectionArn },
                },
            Artifacts = new ProjectArtifacts { Type = runsInPipeline ? "CODEPIPELINE" : "NO_ARTIFACTS" },
            Environment = new ProjectEnvironment
            {
                Type = spec.Build.EnvironmentType,
                Image = spec.Build.Image,
                ComputeType = spec.Build.ComputeType,
                EnvironmentVariables = EnvironmentVariables(spec),
            },
            ServiceRole = spec.Build.ServiceRoleArn,
            TimeoutInMinutes = spec.Build.TimeoutMinutes,
            Tags = tags,
        };
    }

    private static string Description(string specName, StageSpec stage)
    {
        var text = stage.ReviewStack is { } review
            ? $"pulumi up of review stacks {BuildspecRenderer.ReviewStackPrefix(stage, review)}<pr> (config from {stage.Stack}), destroyed on merge or close: stage {stage.Name} of {specName} (managed by reconciler)"
            : $"pulumi {stage.Operation} of {stage.Stack}: stage {stage.Name} of {specName} (managed by reconciler)";
        return text.Length <= DescriptionMaxLength ? text : text[..(DescriptionMaxLength - 3)] + "...";
    }

    // The spec's variables in their order, each with an explicit type (CodeBuild reports PLAINTEXT
    // for untyped ones, so an implicit type would read back as a difference), then the access
    // token as a Parameter Store or Secrets Manager reference: the value names where the token is, never the token.
    private static List<BuildEnvironmentVariable> EnvironmentVariables(PipelineSpec spec)
    {
        var variables = (spec.Build.Environment ?? [])
            .Where(v => v.Name != BuildspecRenderer.AccessTokenVariable)
            .Select(v => new BuildEnvironmentVariable { Name = v.Name, Value = v.Value, Type = v.Type ?? "PLAINTEXT" })
            .ToList();
        var token = spec.Pulumi.Token() ?? new AccessTokenSpec { Parameter = "" };
        variables.Add(new BuildEnvironmentVariable
        {
            Name = BuildspecRenderer.AccessTokenVariable,
            Value = token.CodeBuildValue(),
            Type = token.CodeBuildType(),
        });
        return variables;
    }
}
