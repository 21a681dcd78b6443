namespace Reconciler.Model.Aws;

// Wire shapes of the CodePipeline API (codepipeline-2015-07-09), limited to what the controller
// renders or reads. Member names are the API's; nulls are omitted on the wire.

/// <summary>A pipeline's structure: the body of CreatePipeline/UpdatePipeline and of GetPipeline's answer.</summary>
public sealed record PipelineDeclaration
{
    public string Name { get; init; } = "";
    public string RoleArn { get; init; } = "";
    public ArtifactStore? ArtifactStore { get; init; }
    public IReadOnlyList<StageDeclaration> Stages { get; init; } = [];
    public int? Version { get; init; }
    public string? ExecutionMode { get; init; }
    public string? PipelineType { get; init; }
    public IReadOnlyList<PipelineTriggerDeclaration>? Triggers { get; init; }
}

/// <summary>The S3 bucket that carries artifacts between actions.</summary>
public sealed record ArtifactStore
{
    public string Type { get; init; } = "S3";
    public string Location { get; init; } = "";
}

/// <summary>One pipeline stage.</summary>
public sealed record StageDeclaration
{
    public string Name { get; init; } = "";
    public IReadOnlyList<ActionDeclaration> Actions { get; init; } = [];
}

/// <summary>One action in a stage.</summary>
public sealed record ActionDeclaration
{
    public string Name { get; init; } = "";
    public ActionTypeId ActionTypeId { get; init; } = new();
    public int? RunOrder { get; init; }
    public IReadOnlyDictionary<string, string>? Configuration { get; init; }
    public IReadOnlyList<ArtifactRef>? OutputArtifacts { get; init; }
    public IReadOnlyList<ArtifactRef>? InputArtifacts { get; init; }
    public string? RoleArn { get; init; }
    public string? Region { get; init; }
    public string? Namespace { get; init; }
}

/// <summary>Which kind of action this is.</summary>
public sealed record ActionTypeId
{
    public string Category { get; init; } = "";
    public string Owner { get; init; } = "";
    public string Provider { get; init; } = "";
    public string Version { get; init; } = "1";
}

/// <summary>An input or output artifact, by name.</summary>
public sealed record ArtifactRef
{
    public string Name { get; init; } = "";
}

/// <summary>A V2 pipeline trigger on git events of the source action.</summary>
public sealed record PipelineTriggerDeclaration
{
    public string ProviderType { get; init; } = "CodeStarSourceConnection";
    public GitConfiguration GitConfiguration { get; init; } = new();
}

/// <summary>The git events a trigger starts on.</summary>
public sealed record GitConfiguration
{
    public string SourceActionName { get; init; } = "";
    public IReadOnlyList<GitPushFilter>? Push { get; init; }
    public IReadOnlyList<GitPullRequestFilter>? PullRequest { get; init; }
}

/// <summary>Push filter: branches or tags.</summary>
public sealed record GitPushFilter
{
    public GitFilterCriteria? Branches { get; init; }
    public GitFilterCriteria? Tags { get; init; }
}

/// <summary>Pull-request filter.</summary>
public sealed record GitPullRequestFilter
{
    public IReadOnlyList<string>? Events { get; init; }
    public GitFilterCriteria? Branches { get; init; }
}

/// <summary>Include/exclude glob patterns.</summary>
public sealed record GitFilterCriteria
{
    public IReadOnlyList<string>? Includes { get; init; }
    public IReadOnlyList<string>? Excludes { get; init; }
}

/// <summary>GetPipeline's metadata.</summary>
public sealed record PipelineMetadata
{
    public string? PipelineArn { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Updated { get; init; }
}

/// <summary>One row of ListPipelines.</summary>
public sealed record PipelineSummary
{
    public string Name { get; init; } = "";
    public int? Version { get; init; }
    public string? PipelineType { get; init; }
    public DateTimeOffset? Created { get; init; }
    public DateTimeOffset? Updated { get; init; }
}
