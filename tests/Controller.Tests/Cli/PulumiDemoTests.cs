using Reconciler.Controller.Cli;

namespace Reconciler.Controller.Tests.Cli;

/// <summary><c>reconciler demo --engine pulumi</c> as a real process: the whole story through Pulumi stacks, on the stand-in CLI when no pulumi is on PATH.</summary>
public class PulumiDemoTests
{
    [Fact]
    public async Task Demo_with_the_pulumi_engine_uses_the_stand_in_without_a_pulumi_on_PATH_converges_corrects_drift_and_deletes_with_both_policies()
    {
        var root = Directory.CreateTempSubdirectory("reconciler-pulumi-demo-").FullName;
        var count = Path.Combine(root, "invocations.txt");
        try
        {
            var path = string.Join(Path.PathSeparator, (Environment.GetEnvironmentVariable("PATH") ?? "")
                .Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries)
                .Where(folder => DemoPulumiCli.OnPath(folder) is null));
            var run = await ReconcilerProcess.RunAsync(["demo", "--engine", "pulumi", "--data", Path.Combine(root, "data")], new Dictionary<string, string>
            {
                ["PATH"] = path,
                ["PULUMI_STANDIN_COUNT_FILE"] = count,
            }, timeout: TimeSpan.FromMinutes(8));

            var text = run.Output;
            Assert.True(run.ExitCode == 0, run.ToString());
            Assert.Matches(@"● pulumi    the stand-in CLI \S+pulumi \(3\.259\.0; test infrastructure: no pulumi on PATH\)", text);
            Assert.Contains("controller: engine pulumi", text, StringComparison.Ordinal);
            Assert.Contains("every spec is Ready", text, StringComparison.Ordinal);
            Assert.Matches(@"last apply: pulumi Succeeded: 6 created", text);
            Assert.Matches(@"CodePipeline/payments\s+Synced\s+arn:aws:codepipeline:", text);
            Assert.Matches(@"live      CodeBuildProject/[\w-]+ environment.computeType is BUILD_GENERAL1_SMALL again", text);
            Assert.Contains("✓ gone      payments     deletionPolicy Retain: 5 of 5 resources left in the cloud, 0 still tagged as ours", text, StringComparison.Ordinal);
            Assert.Contains("✓ gone      website      deletionPolicy Delete: 6 of 6 resources deleted from the cloud", text, StringComparison.Ordinal);
            Assert.DoesNotContain("✗", text, StringComparison.Ordinal);

            // The stand-in did the work: a stack per spec, refresh then up for the drift, destroy and stack rm per deletion.
            // The specs the Pulumi engine converged (a sample may pin spec.engine: direct).
            var specs = text.Split('\n').Count(l => l.Contains("last apply: pulumi ", StringComparison.Ordinal));
            Assert.True(specs >= 2, text);
            var commands = File.ReadAllLines(count).Select(l => string.Join(' ', l.Split(' ').Skip(1).Take(2))).ToList();
            Assert.Equal(1, commands.Count(c => c.StartsWith("refresh", StringComparison.Ordinal)));
            Assert.Equal(specs, commands.Count(c => c == "stack init"));
            Assert.Equal(specs, commands.Count(c => c.StartsWith("destroy", StringComparison.Ordinal)));
            Assert.Equal(specs, commands.Count(c => c == "stack rm"));
            // One create a spec, the drift's up, and the Retain spec's release of its tags before its destroy.
            Assert.Equal(specs + 2, commands.Count(c => c.StartsWith("up", StringComparison.Ordinal)));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }

    [Fact]
    public void A_pulumi_on_PATH_is_the_first_executable_one_in_PATH_order()
    {
        var root = Directory.CreateTempSubdirectory("reconciler-pulumi-path-").FullName;
        try
        {
            var plain = Directory.CreateDirectory(Path.Combine(root, "plain")).FullName;
            var first = Directory.CreateDirectory(Path.Combine(root, "first")).FullName;
            var second = Directory.CreateDirectory(Path.Combine(root, "second")).FullName;
            File.WriteAllText(Path.Combine(plain, "pulumi"), "not executable");
            Assert.False(OperatingSystem.IsWindows(), "executable bits are POSIX");
            foreach (var folder in new[] { first, second })
            {
                File.WriteAllText(Path.Combine(folder, "pulumi"), "#!/bin/sh\n");
                if (!OperatingSystem.IsWindows())
                {
                    File.SetUnixFileMode(Path.Combine(folder, "pulumi"), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
                }
            }

            Assert.Equal(Path.Combine(first, "pulumi"), DemoPulumiCli.OnPath(string.Join(Path.PathSeparator, plain, Path.Combine(root, "missing"), first, second)));
            Assert.Null(DemoPulumiCli.OnPath(string.Join(Path.PathSeparator, plain, Path.Combine(root, "missing"))));
        }
        finally
        {
            Directory.Delete(root, recursive: true);
        }
    }
}
