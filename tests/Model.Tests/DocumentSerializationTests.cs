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

    [Fact]
    public void Omitted_optional_fields_keep_their_documented_defaults()
    {
        // Source-generated deserialization assigns default(T) to omitted init-only properties
        // (dotnet/runtime#84484); the documents' init accessors put the defaults back.
        var doc = JsonSerializer.Deserialize("""
            { "apiVersion": "reconciler/v1", "kind": "PulumiPipeline", "metadata": { "name": "x" },
              "spec": { "source": { "location": "https://github.com/acme/x.git" },
                        "pulumi": { "cliVersion": "3.140.0", "accessTokenParameter": "/p" },
                        "build": { "serviceRoleArn": "arn:aws:iam::111122223333:role/r", "environment": [ { "name": "A", "value": "b" } ] },
                        "stages": [ { "name": "preview", "stack": "acme/x/dev", "on": { "pullRequest": { "baseBranch": "main" } } } ] } }
            """, ModelJsonContext.Default.PulumiPipeline)!;

        Assert.Equal("GITHUB", doc.Spec.Source.Type);
        Assert.Equal("aws/codebuild/standard:7.0", doc.Spec.Build.Image);
        Assert.Equal("BUILD_GENERAL1_SMALL", doc.Spec.Build.ComputeType);
        Assert.Equal("LINUX_CONTAINER", doc.Spec.Build.EnvironmentType);
        Assert.Equal(60, doc.Spec.Build.TimeoutMinutes);
        Assert.Equal(StageOperations.Preview, doc.Spec.Stages[0].Operation);
        Assert.Equal(DriftPolicies.Correct, doc.Spec.DriftPolicy);
        Assert.Equal(DeletionPolicies.Delete, doc.Spec.DeletionPolicy);
        Assert.NotNull(doc.Spec.Stages[0].On);
    }
}
