using System.Text.Json;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Model.Tests;

public class DocumentSerializationTests
{
    [Fact]
    public void A_document_round_trips_through_the_source_generated_context_in_camel_case_without_nulls()
    {
        var doc = new PulumiPipeline
        {
            Metadata = new ObjectMeta { Name = "website", Labels = new Dictionary<string, string> { ["team"] = "web" } },
            Spec = new PipelineSpec
            {
                Stages = [new StageSpec { Name = "staging", Stack = "acme/website/staging", Operation = "up", On = new TriggerSpec { Push = new PushTrigger { Branch = "main" } } }],
            },
        };

        var json = JsonSerializer.Serialize(doc, ModelJsonContext.Default.PulumiPipeline);
        var back = JsonSerializer.Deserialize(json, ModelJsonContext.Default.PulumiPipeline)!;

        Assert.Contains("\"apiVersion\": \"reconciler/v1\"", json, StringComparison.Ordinal);
        Assert.DoesNotContain("\"status\"", json, StringComparison.Ordinal);
        Assert.Equal("main", back.Spec.Stages[0].On.Push!.Branch);
        Assert.Equal("web", back.Metadata.Labels!["team"]);
    }
}
