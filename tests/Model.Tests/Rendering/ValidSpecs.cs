using FsCheck;
using FsCheck.Fluent;
using Reconciler.Model.Documents;

namespace Reconciler.Model.Tests.Rendering;

/// <summary>FsCheck generators of documents the validator accepts: every trigger kind, with and without a pipeline.</summary>
public static class ValidSpecs
{
    private const string Lower = "abcdefghijklmnopqrstuvwxyz";
    private const string Digits = "0123456789";

    public static Arbitrary<PulumiPipeline> Documents() => Document.ToArbitrary();

    public static Gen<PulumiPipeline> Document =>
        from name in DnsLabel(1, 63)
        from uid in Gen.OneOf(Gen.Constant<string?>(null), Text(Lower + Digits + "-", 8, 36).Select(s => (string?)s))
        from pipeline in Gen.Elements(false, true)
        from stageCount in Gen.Choose(1, 6)
        from stages in Gen.CollectToList(Enumerable.Range(0, stageCount), i => Stage(i, pipeline))
        from extra in Stage(stageCount, pipeline: true, push: true)
        // A pipeline needs at least one push or tag stage to run; the validator insists on it.
        let allStages = pipeline && stages.All(s => s.On.PullRequest is not null) ? [.. stages, extra] : stages
        from location in Gen.Elements(
            "https://github.com/acme/website.git", "https://gitlab.com/acme/platform/app.git",
            "https://github.com/acme/api", "https://bitbucket.org/acme/x.git")
        from sourceType in Gen.Elements("GITHUB", "GITLAB", "BITBUCKET", "GITHUB_ENTERPRISE")
        from connection in Gen.Elements<string?>(null, "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc")
        from pulumi in Pulumi
        from build in Build
        from tags in Tags
        select new PulumiPipeline
        {
            Metadata = new ObjectMeta { Name = name, Uid = uid },
            Spec = new PipelineSpec
            {
                Source = new SourceSpec
                {
                    Type = sourceType,
                    Location = location,
                    // A pipeline's source action needs the connection; the validator insists on it.
                    ConnectionArn = pipeline ? "arn:aws:codeconnections:eu-west-1:111122223333:connection/1a2b" : connection,
                },
                Pulumi = pulumi,
                Build = build,
                Stages = allStages,
                Pipeline = pipeline
                    ? new PipelineSettings { Enabled = true, RoleArn = "arn:aws:iam::111122223333:role/pipeline", ArtifactBucket = "acme-artifacts-1" }
                    : null,
                Tags = tags,
            },
        };

    private static Gen<StageSpec> Stage(int index, bool pipeline, bool push = false) =>
        from label in DnsLabel(1, 60)
        from kind in push ? Gen.Constant(1) : Gen.Choose(0, 2)
        from branch in GitRef
        from operation in kind == 0 ? Gen.Constant(StageOperations.Preview) : Gen.Elements(StageOperations.All.ToArray())
        from approval in Gen.Elements(false, true)
        from stack in Stack
        select new StageSpec
        {
            // The index keeps stage names distinct, as the validator requires.
            Name = $"{label}{index}",
            Stack = stack,
            Operation = operation,
            Approval = pipeline && kind != 0 && approval,
            On = kind switch
            {
                0 => new TriggerSpec { PullRequest = new PullRequestTrigger { BaseBranch = branch } },
                1 => new TriggerSpec { Push = new PushTrigger { Branch = branch } },
                _ => new TriggerSpec { Tag = branch },
            },
        };

    private static Gen<PulumiSettings> Pulumi =>
        from workDir in Gen.Elements<string?>(null, ".", "infra", "deploy/aws", "stacks/my_app-1.x")
        from version in Gen.Elements("3.140.0", "3.91.1", "3.200.0")
        from parameter in Gen.Elements("/pulumi/access-token", "pulumi-token", "/team/a_b.c/token")
        from esc in Gen.Elements<string?>(null, "acme/website-aws", "acme/prod")
        select new PulumiSettings { WorkDir = workDir, CliVersion = version, AccessTokenParameter = parameter, EscEnvironment = esc };

    private static Gen<BuildSettings> Build =>
        from image in Gen.Elements("aws/codebuild/standard:7.0", "aws/codebuild/amazonlinux2-x86_64-standard:5.0", "public.ecr.aws/acme/pulumi:3")
        from computeType in Gen.Elements("BUILD_GENERAL1_SMALL", "BUILD_GENERAL1_MEDIUM", "BUILD_GENERAL1_LARGE")
        from environmentType in Gen.Elements("LINUX_CONTAINER", "ARM_CONTAINER")
        from timeout in Gen.Choose(5, 2160)
        from count in Gen.Choose(0, 4)
        from variables in Gen.CollectToList(Enumerable.Range(0, count), Variable)
        select new BuildSettings
        {
            Image = image,
            ComputeType = computeType,
            EnvironmentType = environmentType,
            ServiceRoleArn = "arn:aws:iam::111122223333:role/pulumi-codebuild",
            TimeoutMinutes = timeout,
            Environment = count == 0 ? null : variables,
        };

    private static Gen<EnvironmentVariableSpec> Variable(int index) =>
        from name in Text("ABCDEFGHIJKLMNOPQRSTUVWXYZ_", 1, 20)
        from kind in Gen.Choose(0, 3)
        from value in Text(Lower + Digits + " -_/:.=", 0, 30)
        select new EnvironmentVariableSpec
        {
            Name = $"{name}{index}",
            Value = kind switch { 2 => "/app/" + index, 3 => "arn:aws:secretsmanager:us-east-1:111122223333:secret:s" + index, _ => value },
            Type = kind switch { 0 => null, 1 => "PLAINTEXT", 2 => "PARAMETER_STORE", _ => "SECRETS_MANAGER" },
        };

    private static Gen<IReadOnlyDictionary<string, string>?> Tags =>
        from count in Gen.Choose(0, 5)
        from keys in Gen.ArrayOf(Text(Lower + "ABC" + Digits + " _.:/=+@-", 1, 40), count)
        from values in Gen.ArrayOf(Text(Lower + Digits + " _.:/=+@-", 0, 60), count)
        select count == 0
            ? null
            : (IReadOnlyDictionary<string, string>?)keys.Zip(values)
                .Where(p => !p.First.StartsWith("aws:", StringComparison.OrdinalIgnoreCase) && !p.First.StartsWith("reconciler.io/", StringComparison.Ordinal))
                .DistinctBy(p => p.First)
                .ToDictionary(p => p.First, p => p.Second);

    private static Gen<string> Stack =>
        from org in DnsLabel(1, 20)
        from project in Text(Lower + Digits + "-_.", 1, 20)
        from stack in Text(Lower + Digits + "-_.", 1, 20)
        select $"{org}/{project}/{stack}";

    // Names git accepts (check-ref-format): slash-separated components that do not start with a
    // dot or dash, with characters a regex or glob would otherwise read specially ('.', '+').
    private static Gen<string> GitRef =>
        from count in Gen.Choose(1, 3)
        from parts in Gen.ArrayOf(from head in Text(Lower + Digits, 1, 1) from tail in Text(Lower + Digits + "-_+", 0, 12) from dot in Gen.Elements("", ".1", ".x") select head + tail + dot, count)
        select string.Join('/', parts);

    /// <summary>A lower-case DNS label of the given length range.</summary>
    private static Gen<string> DnsLabel(int min, int max) =>
        from length in Gen.Choose(min, max)
        from head in Text(Lower, 1, 1)
        from middle in Text(Lower + Digits + "-", Math.Max(0, length - 2), Math.Max(0, length - 2))
        from tail in Text(Lower + Digits, 1, 1)
        select length == 1 ? head : head + middle + tail;

    private static Gen<string> Text(string alphabet, int min, int max) =>
        from length in Gen.Choose(min, max)
        from chars in Gen.ArrayOf(Gen.Elements(alphabet.ToCharArray()), length)
        select new string(chars);
}
