using Reconciler.Controller.Engines.Pulumi;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Store;
using Reconciler.Controller.Tests.Dynalite;
using Reconciler.Controller.Tests.Engines.Pulumi;
using Reconciler.LocalCloud;
using Reconciler.Model.Aws;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.EndToEnd.ControllerHarness;

namespace Reconciler.Controller.Tests.EndToEnd;

/// <summary>
/// The controller with <c>--engine pulumi</c>, end to end: the stand-in CLI (through a wrapper script that gives it the
/// backend and LocalCloud, as a deployment's environment would) applies each spec's stack to LocalCloud, and the
/// controller's own observation then finds it in sync. The stand-in counts every CLI process it runs. Every test runs
/// on SQLite and on DynamoDB (dynalite).
/// </summary>
public abstract class PulumiEngineLifecycleTests(StoreKind kind, DynaliteServer? dynalite) : IAsyncLifetime
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
        _harness = await StartHarnessAsync(TimeSpan.FromMilliseconds(50), cancelStaleLocks: "off");
    }

    private async Task<ControllerHarness> StartHarnessAsync(TimeSpan retryBase, string cancelStaleLocks)
    {
        var harness = await StartAsync(kind, dynalite, options: new PipelineControllerOptions
        {
            Workers = 4,
            BatchWindow = TimeSpan.FromMilliseconds(5),
            RetryBaseDelay = retryBase,
            Engine = PulumiEngine.EngineName,
            EngineSettings = new Dictionary<string, string>
            {
                [PulumiEngineDefinition.Cli.Name] = Path.Combine(_root, "pulumi"),
                [PulumiEngineDefinition.WorkDir.Name] = Path.Combine(_root, "work"),
                [PulumiEngineDefinition.CancelStaleLocks.Name] = cancelStaleLocks,
            },
        });
        await File.WriteAllTextAsync(Path.Combine(_root, "endpoint"), harness.Cloud.Server.Endpoint.ToString());
        return harness;
    }

    /// <summary>Knobs for the stand-in from here on; <paramref name="onceFor"/>: only the next run of that command gets them.</summary>
    private Task KnobsAsync(string exports, string? onceFor = null) =>
        File.WriteAllTextAsync(Path.Combine(_root, "env"), onceFor is null
            ? exports + "\n"
            : $"case \"$1\" in {onceFor}) {exports}; rm -f '{_root}/env';; esac\n");

    private int StackCommands(string command) =>
        File.Exists(CountFile) ? File.ReadAllLines(CountFile).Count(l => l.Contains($" {command} ", StringComparison.Ordinal)) : 0;

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
    public async Task A_failed_resource_is_in_status_with_the_providers_message_redacted()
    {
        await KnobsAsync("export PULUMI_STANDIN_FAIL_RESOURCE='bad-staging=AccessDeniedException: not allowed to create with token=pul-0123456789abcdef'");
        await _harness.CreateAsync(Named(Sample("website.json"), "bad"));

        var failed = await _harness.WaitForAsync("bad", d => d.Status?.Phase == StatusPhases.Failed, "failed");

        var message = Condition(failed, ConditionTypes.Ready).Message;
        Assert.Contains("bad-staging", message, StringComparison.Ordinal);
        Assert.Contains("AccessDeniedException: not allowed to create", message, StringComparison.Ordinal);
        Assert.Contains("token=[redacted]", message, StringComparison.Ordinal);
        Assert.DoesNotContain("0123456789abcdef", message, StringComparison.Ordinal);
        Assert.Equal(ResourceStates.Failed, failed.Status!.Resources.Single(r => r.Kind == "CodeBuildProject" && r.Name == "bad-staging").State);
        Assert.Equal("pulumi", failed.Status!.LastApply!.Engine);
        Assert.Equal("Failed", failed.Status.LastApply.Result);

        File.Delete(Path.Combine(_root, "env"));
        _harness.Controller.ResyncNow();
        await _harness.WaitForReadyAsync("bad");
    }

    [Fact]
    public async Task A_held_lock_is_StackLocked_with_its_holder_and_next_retry_then_Ready_once_released()
    {
        var lockFile = Path.Combine(_root, "held");
        await File.WriteAllTextAsync(lockFile, "");
        await KnobsAsync($"export PULUMI_STANDIN_LOCK_HELD_WHILE='{lockFile}'");
        await _harness.CreateAsync(Named(Sample("website.json"), "locked"));

        var locked = await _harness.WaitForAsync("locked", d => d.Status?.Conditions.Any(c => c.Reason == StatusReasons.StackLocked) == true, "StackLocked");

        Assert.Equal(StatusPhases.Reconciling, locked.Status!.Phase);
        var reconciling = Condition(locked, ConditionTypes.Reconciling);
        Assert.Equal(ConditionStatus.True, reconciling.Status);
        Assert.Equal(StatusReasons.StackLocked, reconciling.Reason);
        Assert.Contains("locked by other@elsewhere (pid 4242)", reconciling.Message, StringComparison.Ordinal);
        Assert.NotNull(locked.Status.NextRetryTime);
        Assert.Contains($"next retry at {locked.Status.NextRetryTime!.Value.UtcDateTime:yyyy-MM-dd'T'HH:mm:ss'Z'}", reconciling.Message, StringComparison.Ordinal);
        Assert.Equal(ConditionStatus.False, Condition(locked, ConditionTypes.Ready).Status);
        Assert.DoesNotContain(_harness.Cloud.Server.State.ProjectNames, n => n.StartsWith("locked-", StringComparison.Ordinal));
        // Another controller's lock is never cancelled, whatever the option says.
        Assert.Equal(0, Invocations("cancel"));

        File.Delete(lockFile);
        var ready = await _harness.WaitForReadyAsync("locked");

        Assert.Null(ready.Status!.NextRetryTime);
        Assert.Equal(["locked-preview", "locked-production", "locked-staging"], _harness.Cloud.Server.State.ProjectNames.Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task An_update_killed_mid_way_is_recovered_after_a_restart_cancel_of_our_stale_lock_then_converges_without_duplicates()
    {
        // No retry before the restart: the new controller finds the dead update's lock and pending operation.
        await _harness.DisposeAsync();
        _harness = await StartHarnessAsync(TimeSpan.FromMinutes(4), cancelStaleLocks: "1h");
        await KnobsAsync("export PULUMI_STANDIN_INTERRUPT_AFTER_STEPS=2", onceFor: "up");
        await _harness.CreateAsync(Named(Sample("website.json"), "cut"));

        var failed = await _harness.WaitForAsync("cut", d => d.Status?.Phase == StatusPhases.Failed, "failed by the killed update");
        Assert.Contains("cut", Condition(failed, ConditionTypes.Ready).Message, StringComparison.Ordinal);
        var stackFile = Path.Combine(_root, "backend", ".pulumi", "stacks", "reconciler", "cut.json");
        Assert.NotEmpty(System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(stackFile))!["checkpoint"]!["latest"]!["pending_operations"]!.AsArray());
        Assert.NotEmpty(Directory.GetFiles(Path.Combine(_root, "backend", ".pulumi", "locks", "reconciler", "cut")));
        var createdBefore = _harness.Cloud.Server.Counters.Snapshot().GetValueOrDefault("CodeBuild.CreateProject")?.Requests ?? 0;

        await _harness.RestartAsync();
        var ready = await _harness.WaitForReadyAsync("cut");

        Assert.Equal(1, Invocations("cancel"));
        Assert.Equal(1, StackCommands("refresh --yes --skip-preview --clear-pending-creates"));
        Assert.Empty(System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(stackFile))!["checkpoint"]!["latest"]!["pending_operations"]!.AsArray());
        Assert.Equal(["cut-preview", "cut-production", "cut-staging"], _harness.Cloud.Server.State.ProjectNames.Order(StringComparer.Ordinal));
        // Each project was created once: what the killed update made was adopted, not made again.
        Assert.Equal(3, _harness.Cloud.Server.Counters.Snapshot()["CodeBuild.CreateProject"].Requests);
        Assert.True(createdBefore >= 1);
        Assert.Equal(PulumiEngine.EngineName, ready.Status!.Engine);
    }

    [Fact]
    public async Task Switching_a_spec_between_engines_hands_its_resources_over_without_recreating_or_orphaning_any()
    {
        await _harness.CreateAsync(Named(Sample("website.json", d => d with { Spec = d.Spec with { Engine = SpecEngines.Direct } }), "moving"));
        var direct = await _harness.WaitForReadyAsync("moving");
        Assert.Equal(SpecEngines.Direct, direct.Status!.Engine);
        Assert.Equal(0, AllInvocations);

        // To Pulumi: a new stack imports the live resources, then applies the change.
        var toPulumi = await _harness.UpdateAsync("moving", d => d with { Spec = d.Spec with { Engine = SpecEngines.Pulumi, Build = d.Spec.Build with { TimeoutMinutes = 45 } } });
        var onPulumi = await _harness.WaitForReadyAsync("moving", toPulumi.Metadata.Generation);
        Assert.Equal(SpecEngines.Pulumi, onPulumi.Status!.Engine);
        Assert.Equal(SpecEngines.Pulumi, onPulumi.Status.LastApply!.Engine);
        Assert.Equal(3, _harness.Cloud.Server.Counters.Snapshot()["CodeBuild.CreateProject"].Requests);
        Assert.Equal(45, (int)_harness.Cloud.Server.State.GetProject("moving-staging")!["timeoutInMinutes"]!);
        var stack = System.Text.Json.Nodes.JsonNode.Parse(await File.ReadAllTextAsync(Path.Combine(_root, "backend", ".pulumi", "stacks", "reconciler", "moving.json")))!;
        Assert.Equal(6, stack["checkpoint"]!["latest"]!["resources"]!.AsArray().Count(r => (bool?)r!["custom"] == true));

        // Back to direct: the stack goes, the resources stay and the direct engine changes them in place.
        var toDirect = await _harness.UpdateAsync("moving", d => d with { Spec = d.Spec with { Engine = SpecEngines.Direct, Build = d.Spec.Build with { TimeoutMinutes = 30 } } });
        var onDirect = await _harness.WaitForReadyAsync("moving", toDirect.Metadata.Generation);
        Assert.Equal(SpecEngines.Direct, onDirect.Status!.Engine);
        Assert.Equal(1, StackCommands("stack rm --yes --force"));
        Assert.False(File.Exists(Path.Combine(_root, "backend", ".pulumi", "stacks", "reconciler", "moving.json")));
        Assert.False(Directory.Exists(Path.Combine(_root, "work", "moving")));
        Assert.Equal(30, (int)_harness.Cloud.Server.State.GetProject("moving-staging")!["timeoutInMinutes"]!);
        Assert.Equal(3, _harness.Cloud.Server.Counters.Snapshot()["CodeBuild.CreateProject"].Requests);

        await _harness.Store.DeleteAsync("moving", null, CancellationToken.None);
        await _harness.WaitForGoneAsync("moving");
        Assert.DoesNotContain(_harness.Cloud.Server.State.ProjectNames, n => n.StartsWith("moving-", StringComparison.Ordinal));
    }
}

public sealed class SqlitePulumiEngineLifecycleTests() : PulumiEngineLifecycleTests(StoreKind.Sqlite, null);

[Collection(DynaliteCollection.Name)]
public sealed class DynamoDbPulumiEngineLifecycleTests(DynaliteServer dynalite) : PulumiEngineLifecycleTests(StoreKind.DynamoDb, dynalite);
