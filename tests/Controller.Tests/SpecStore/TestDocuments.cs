using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>Small valid documents for store tests.</summary>
internal static class TestDocuments
{
    public static PulumiPipeline Pipeline(string name, IReadOnlyDictionary<string, string>? labels = null, string branch = "main") => new()
    {
        Metadata = new ObjectMeta { Name = name, Labels = labels },
        Spec = new PipelineSpec
        {
            Source = new SourceSpec { Location = $"https://github.com/acme/{name}.git" },
            Pulumi = new PulumiSettings { CliVersion = "3.140.0", AccessTokenParameter = "/pulumi/access-token" },
            Build = new BuildSettings { ServiceRoleArn = "arn:aws:iam::111122223333:role/pulumi-codebuild" },
            Stages =
            [
                new StageSpec { Name = "staging", Stack = $"acme/{name}/staging", Operation = StageOperations.Up, On = new TriggerSpec { Push = new PushTrigger { Branch = branch } } },
            ],
        },
    };

    public static PulumiPipeline WithBranch(this PulumiPipeline document, string branch) => document with
    {
        Spec = document.Spec with { Stages = [document.Spec.Stages[0] with { On = new TriggerSpec { Push = new PushTrigger { Branch = branch } } }] },
    };

    public static PipelineStatus Status(string phase, long observedGeneration) => new() { Phase = phase, ObservedGeneration = observedGeneration };
}
