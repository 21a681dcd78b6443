using Reconciler.Model.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Rendering;

/// <summary>Turns a spec with <c>pipeline.enabled</c> into its CodePipeline V2 declaration (the CreatePipeline body).</summary>
public static class CodePipelineRenderer
{
    /// <summary>The name of the source stage and of its action, which the triggers refer to.</summary>
    public const string SourceName = "Source";

    /// <summary>The artifact the source action produces and every build action consumes.</summary>
    public const string SourceArtifact = "SourceOutput";

    /// <summary>The name of the manual approval action placed first in a stage marked <c>approval</c>.</summary>
    public const string ApprovalActionName = "Approval";

    /// <summary>Whether a stage runs as a pipeline action (push and tag stages) rather than a standalone project.</summary>
    public static bool RunsInPipeline(PipelineSpec spec, StageSpec stage) =>
        spec.Pipeline?.Enabled == true && stage.On.PullRequest is null;

    /// <summary>The pipeline declaration: a source stage, then one stage per push or tag stage in spec order.</summary>
    public static PipelineDeclaration Render(PulumiPipeline document)
    {
        var spec = document.Spec;
        var settings = spec.Pipeline ?? new PipelineSettings();
        var stages = spec.Stages.Where(s => RunsInPipeline(spec, s)).ToList();
        var stageDeclarations = new List<StageDeclaration> { SourceStage(spec) };
        stageDeclarations.AddRange(stages.Select(s => BuildStage(document.Metadata.Name, s)));
        return new PipelineDeclaration
        {
            Name = document.Metadata.Name,
            RoleArn = settings.RoleArn ?? "",
            ArtifactStore = new ArtifactStore { Type = "S3", Location = settings.ArtifactBucket ?? "" },
            Stages = stageDeclarations,
            ExecutionMode = "QUEUED",
            PipelineType = "V2",
            Triggers = Triggers(stages),
        };
    }

    /// <summary>
    /// <c>owner/repo</c> (or <c>group/subgroup/repo</c>) from a clone URL, as CodeStar connections
    /// name repositories: <c>https://github.com/acme/website.git</c> and
    /// <c>git@github.com:acme/website.git</c> both give <c>acme/website</c>.
    /// </summary>
    public static string FullRepositoryId(string location)
    {
        string path;
        if (Uri.TryCreate(location, UriKind.Absolute, out var uri) && !string.IsNullOrEmpty(uri.Host))
        {
            path = uri.AbsolutePath;
        }
        else
        {
            // scp-like syntax: [user@]host:path
            var colon = location.IndexOf(':', StringComparison.Ordinal);
            path = colon >= 0 ? location[(colon + 1)..] : location;
        }
        path = path.Trim('/');
        return path.EndsWith(".git", StringComparison.Ordinal) ? path[..^4] : path;
    }

    private static StageDeclaration SourceStage(PipelineSpec spec) => new()
    {
        Name = SourceName,
        Actions =
        [
            new ActionDeclaration
            {
                Name = SourceName,
                ActionTypeId = new ActionTypeId { Category = "Source", Owner = "AWS", Provider = "CodeStarSourceConnection", Version = "1" },
                RunOrder = 1,
                Configuration = new SortedDictionary<string, string>(StringComparer.Ordinal)
                {
                    ["ConnectionArn"] = spec.Source.ConnectionArn ?? "",
                    ["FullRepositoryId"] = FullRepositoryId(spec.Source.Location),
                    ["BranchName"] = DefaultBranch(spec),
                    ["OutputArtifactFormat"] = "CODE_ZIP",
                },
                OutputArtifacts = [new ArtifactRef { Name = SourceArtifact }],
            },
        ],
    };

    // The branch a manual "Release change" builds. The triggers decide what starts a run; this is
    // only the default revision: the first push stage's branch, else the first pull-request base
    // branch (a tag-only pipeline still releases from the trunk), else main.
    private static string DefaultBranch(PipelineSpec spec) =>
        spec.Stages.Select(s => s.On.Push?.Branch).FirstOrDefault(b => !string.IsNullOrEmpty(b))
        ?? spec.Stages.Select(s => s.On.PullRequest?.BaseBranch).FirstOrDefault(b => !string.IsNullOrEmpty(b))
        ?? "main";

    private static StageDeclaration BuildStage(string specName, StageSpec stage)
    {
        var actions = new List<ActionDeclaration>();
        if (stage.Approval)
        {
            actions.Add(new ActionDeclaration
            {
                Name = ApprovalActionName,
                ActionTypeId = new ActionTypeId { Category = "Approval", Owner = "AWS", Provider = "Manual", Version = "1" },
                RunOrder = 1,
            });
        }
        actions.Add(new ActionDeclaration
        {
            Name = BuildActionName(stage),
            ActionTypeId = new ActionTypeId { Category = "Build", Owner = "AWS", Provider = "CodeBuild", Version = "1" },
            RunOrder = actions.Count + 1,
            Configuration = new SortedDictionary<string, string>(StringComparer.Ordinal)
            {
                ["ProjectName"] = CodeBuildProjectRenderer.ProjectName(specName, stage.Name),
            },
            InputArtifacts = [new ArtifactRef { Name = SourceArtifact }],
        });
        return new StageDeclaration { Name = stage.Name, Actions = actions };
    }

    /// <summary>The build action's name says what it runs: <c>pulumi-up</c>, <c>pulumi-preview</c>, <c>pulumi-refresh</c>.</summary>
    public static string BuildActionName(StageSpec stage) => "pulumi-" + stage.Operation;

    // One push trigger on the source action: the push stages' branches and the tag stages' tags,
    // each once, in spec order. Git forbids '*', '?' and '[' in ref names, so a name is its own
    // glob pattern.
    private static List<PipelineTriggerDeclaration>? Triggers(List<StageSpec> stages)
    {
        var branches = stages.Select(s => s.On.Push?.Branch).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var tags = stages.Select(s => s.On.Tag).OfType<string>().Distinct(StringComparer.Ordinal).ToList();
        var filters = new List<GitPushFilter>();
        if (branches.Count > 0)
        {
            filters.Add(new GitPushFilter { Branches = new GitFilterCriteria { Includes = branches } });
        }
        if (tags.Count > 0)
        {
            filters.Add(new GitPushFilter { Tags = new GitFilterCriteria { Includes = tags } });
        }
        if (filters.Count == 0)
        {
            return null;
        }
        return
        [
            new PipelineTriggerDeclaration
            {
                ProviderType = "CodeStarSourceConnection",
                GitConfiguration = new GitConfiguration { SourceActionName = SourceName, Push = filters },
            },
        ];
    }
}
