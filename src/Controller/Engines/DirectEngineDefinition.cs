using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Engines;

/// <summary>Registers <see cref="DirectEngine"/>: the plan executed as CodeBuild and CodePipeline API calls; no settings of its own.</summary>
public sealed class DirectEngineDefinition : IEngineDefinition
{
    public string Name => DirectEngine.EngineName;

    public string Description => "the plan executed as CodeBuild and CodePipeline API calls";

    public IReadOnlyList<EngineSetting> Settings => [];

    public void Validate(IReadOnlyDictionary<string, string> settings)
    {
    }

    public IConvergeEngine Create(EngineContext context) =>
        new DirectEngine(context.Aws.CodeBuild, context.Aws.CodePipeline, context.Reader, context.Loggers.CreateLogger<DirectEngine>());
}
