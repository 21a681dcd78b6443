using Reconciler.Controller.Engines.Pulumi;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Engines.Pulumi;
using Reconciler.LocalCloud;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>
/// The controller with <c>--engine pulumi</c>, end to end: the stand-in CLI (through a wrapper script that gives it the
/// backend and LocalCloud, as a deployment's environment would) applies each spec's stack to LocalCloud, and the
/// controller's own observation then finds it in sync. The stand-in counts every CLI process it runs.
/// </summary>
public sealed class PulumiEngineLifecycleTests : IAsyncLifetime
{
    private string _root = null!;
    private ControllerHarness _harness = null!;

    private string CountFile => Path.Combine(_root, "invocations.txt");

    public async Task InitializeAsync()
    {
        _root = Directory.CreateTempSubdirectory("reconciler-pulumi-e2e-").FullName;
        // The cloud is started by the harness; the script reads its endpoint from a file written once it is known.
        var script = Path.Combine(_root, "pulumi");
        await File.WriteAllTextAsync(script, $"""
            #!/bin/sh
            export PULUMI_BACKEND_URL="file://{_root}/backend"
            export AWS_ENDPOINT_URL="$(cat '{_root}/endpoint')"
            export AWS_ACCESS_KEY_ID="{LocalCloudInfo.TestAccessKeyId}"
            export AWS_SECRET_ACCESS_KEY="{LocalCloudInfo.TestSecretAccessKey}"
            export PULUMI_STANDIN_COUNT_FILE="{CountFile}"
            [ -f '{_root}/env' ] && . '{_root}/env'
            exec '{StandInHarness.CliPath}' "$@"
            """.Replace("\r", "", StringComparison.Ordinal));
        // The stand-in and its wrapper are POSIX programs, as the real CLI in the image is.
        Assert.False(OperatingSystem.IsWindows(), "the Pulumi engine tests run on Linux or macOS");
        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(script, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
        Directory.CreateDirectory(Path.Combine(_root, "backend"));
        _harness = await StartAsync(StoreKind.Sqlite, options: new PipelineControllerOptions
        {
            Workers = 4,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = TimeSpan.FromMilliseconds(50),
            Engine = PulumiEngine.EngineName,
            EngineSettings = new Dictionary<string, string>
            {
                [PulumiEngineDefinition.Cli.Name] = script,
                [PulumiEngineDefinition.WorkDir.Name] = Path.Combine(_root, "work"),
            },
        });
        await File.WriteAllTextAsync(Path.Combine(_root, "endpoint"), _harness.Cloud.Server.Endpoint.ToString());
    }

    public async Task DisposeAsync()
    {
        await _harness.DisposeAsync();
        Directory.Delete(_root, recursive: true);
    }

    private int Invocations(string command) =>
        File.Exists(CountFile) ? File.ReadAllLines(CountFile).Count(l => l.Split(' ').Skip(1).FirstOrDefault() == command) : 0;

    private int AllInvocations => File.Exists(CountFile) ? File.ReadAllLines(CountFile).Length : 0;

    [Fact]
    public async Task Create_is_one_up_steady_state_runs_no_cli_and_a_change_is_exactly_one_more_up()
    {
        await _harness.CreateAsync(Named(Sample("payments-pipeline.json"), "pay"));

        var ready = await _harness.WaitForReadyAsync("pay");

        Assert.Equal("pulumi", ready.Status!.LastApply!.Engine);
        Assert.Equal(5, ready.Status.LastApply.Creates);
        Assert.Equal(1, Invocations("up"));
        var pipeline = Assert.Single(ready.Status.Resources, r => r.Kind == "CodePipeline");
        Assert.Equal(_harness.Cloud.Server.Arns.Pipeline("pay"), pipeline.Arn);
        var tags = _harness.Cloud.Server.State.GetProject("pay-staging")!["tags"]!.AsArray().ToDictionary(t => (string)t!["key"]!, t => (string)t!["value"]!);
        Assert.Equal(ready.Metadata.Uid, tags[OwnershipTags.Uid]);

        var before = AllInvocations;
        for (var i = 0; i < 100; i++)
        {
            _harness.Controller.ResyncNow();
            await _harness.WaitForIdleAsync();
        }
        Assert.Equal(before, AllInvocations);

        var changed = await _harness.UpdateAsync("pay", d => d with { Spec = d.Spec with { Build = d.Spec.Build with { TimeoutMinutes = 45 } } });
        await _harness.WaitForReadyAsync("pay", changed.Metadata.Generation);
        Assert.Equal(2, Invocations("up"));
        Assert.Equal(0, Invocations("refresh"));
        Assert.Equal(45, (int)_harness.Cloud.Server.State.GetProject("pay-staging")!["timeoutInMinutes"]!);
    }

    [Fact]
    public async Task Drift_is_corrected_by_refresh_then_up_and_Detect_only_reports_it()
    {
        await _harness.CreateAsync(Named(Sample("website.json"), "web"));
        await _harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { DriftPolicy = DriftPolicies.Detect } }), "wiki"));
        await _harness.WaitForReadyAsync("web");
        await _harness.WaitForReadyAsync("wiki");

        _harness.Cloud.Server.State.ChangeProject("web-staging", p => p["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        _harness.Cloud.Server.State.ChangeProject("wiki-staging", p => p["environment"]!["computeType"] = "BUILD_GENERAL1_LARGE");
        _harness.Controller.ResyncNow();
        await _harness.WaitForAsync("web", d => Condition(d, ConditionTypes.Drifted).Reason == StatusReasons.DriftCorrected, "drift corrected");
        var detected = await _harness.WaitForAsync("wiki", d => Condition(d, ConditionTypes.Drifted).Reason == StatusReasons.DriftDetected, "drift detected");

        Assert.Equal("BUILD_GENERAL1_SMALL", (string)_harness.Cloud.Server.State.GetProject("web-staging")!["environment"]!["computeType"]!);
        Assert.Equal("BUILD_GENERAL1_LARGE", (string)_harness.Cloud.Server.State.GetProject("wiki-staging")!["environment"]!["computeType"]!);
        Assert.Equal(StatusPhases.Drifted, detected.Status!.Phase);
        Assert.Equal(1, Invocations("refresh"));
        Assert.Equal(3, Invocations("up"));
    }

    [Fact]
    public async Task Delete_destroys_and_removes_the_stack_and_Retain_leaves_the_resources_without_ownership_tags()
    {
        await _harness.CreateAsync(Named(Sample("website.json"), "gone"));
        await _harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { DeletionPolicy = DeletionPolicies.Retain } }), "kept"));
        await _harness.WaitForReadyAsync("gone");
        await _harness.WaitForReadyAsync("kept");

        await _harness.Store.DeleteAsync("gone", null, CancellationToken.None);
        await _harness.Store.DeleteAsync("kept", null, CancellationToken.None);
        await _harness.WaitForGoneAsync("gone");
        await _harness.WaitForGoneAsync("kept");

        var names = _harness.Cloud.Server.State.ProjectNames;
        Assert.DoesNotContain("gone-staging", names);
        foreach (var kept in new[] { "kept-preview", "kept-staging", "kept-production" })
        {
            var project = _harness.Cloud.Server.State.GetProject(kept);
            Assert.NotNull(project);
            Assert.DoesNotContain(project["tags"]!.AsArray(), t => ((string)t!["key"]!).StartsWith(OwnershipTags.Prefix, StringComparison.Ordinal));
        }
        Assert.Equal(2, Invocations("destroy"));
        Assert.Equal(2, File.ReadAllLines(CountFile).Count(l => l.Contains(" stack rm ", StringComparison.Ordinal)));
        Assert.False(Directory.Exists(Path.Combine(_root, "work", "gone")));
    }

    [Fact]
    public async Task A_failed_resource_is_in_status_with_the_providers_message()
    {
        await File.WriteAllTextAsync(Path.Combine(_root, "env"), "export PULUMI_STANDIN_FAIL_RESOURCE='bad-staging=AccessDeniedException: not allowed to create'\n");
        await _harness.CreateAsync(Named(Sample("website.json"), "bad"));

        var failed = await _harness.WaitForAsync("bad", d => d.Status?.Phase == StatusPhases.Failed, "failed");

        var message = Condition(failed, ConditionTypes.Ready).Message;
        Assert.Contains("bad-staging", message, StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException: not allowed to create", message, StringComparison.Ordinal);
        Assert.Equal("pulumi", failed.Status!.LastApply!.Engine);
        Assert.Equal("Failed", failed.Status.LastApply.Result);

        File.Delete(Path.Combine(_root, "env"));
        _harness.Controller.ResyncNow();
        await _harness.WaitForReadyAsync("bad");
    }
}
