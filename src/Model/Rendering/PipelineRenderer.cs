using Reconciler.Model.Documents;

namespace Reconciler.Model.Rendering;

/// <summary>Placeholder until the render branch lands on main (its file replaces this one).</summary>
public static class PipelineRenderer
{
    public static DesiredState Render(PulumiPipeline document) => throw new NotSupportedException($"rendering {document.Metadata.Name}: the renderer has not landed yet");
}
