using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Engines.Pulumi.Automation;
using Reconciler.Controller.Telemetry;
using Reconciler.Model.Aws;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;
using Reconciler.Model.Rendering.Pulumi;

namespace Reconciler.Controller.Engines.Pulumi;

/// <summary>
/// Converges a spec through its own Pulumi stack: the desired state becomes a YAML program; <c>up</c> applies a changed
/// program, <c>refresh</c> then <c>up</c> corrects drift under an unchanged one, <c>destroy</c> then <c>stack rm</c> deletes,
/// and Retain releases the ownership tags with every resource marked <c>retainOnDelete</c> before the destroy. Engine
/// events become one span per resource step and the outcome's resources and errors.
/// </summary>
public sealed partial class PulumiEngine : IConvergeEngine, IStatefulEngine, IDisposable
{
    public const string EngineName = "pulumi";

    /// <summary>The error code of a step that could not run because another update holds the stack.</summary>
    public const string StackLockedCode = "StackLocked";

    private readonly PulumiEngineOptions _options;
    private readonly LocalPulumiCommand _command;
    private readonly SemaphoreSlim _processes;
    private readonly ILogger<PulumiEngine> _logger;
    private readonly TimeProvider _time;

    public PulumiEngine(PulumiEngineOptions options, ILogger<PulumiEngine> logger, TimeProvider? time = null)
    {
        _options = options;
        _time = time ?? TimeProvider.System;
        _logger = logger;
        _processes = new SemaphoreSlim(Math.Max(1, options.Concurrency));
        _command = new LocalPulumiCommand(new LocalPulumiCommandOptions { Command = options.Cli, InterruptGrace = options.InterruptGrace }, logger);
    }

    public string Name => EngineName;

    public async Task<ApplyOutcome> ApplyAsync(ConvergeRequest request, CancellationToken cancellationToken)
    {
        var spec = request.Owner.SpecName;
        var steps = new StepRecorder(Activity.Current?.Context ?? default);
        await _processes.WaitAsync(cancellationToken);
        try
        {
            var workspace = Workspace(spec);
            try
            {
                await ConvergeAsync(request, workspace, steps, recovering: false, cancellationToken);
            }
            catch (ConcurrentUpdateException ex) when (StackLock.Read(ex).ToList() is { Count: > 0 } locks && locks.All(l => IsStaleAndOurs(l)) && _options.CancelStaleLocksAfter is not null)
            {
                // Our own update died holding the lock (a killed CLI, a lost task): release it, then recover its state.
                _logger.LogWarning("Pulumi stack {Stack}: cancelling the stale lock of an update of ours that ended ({Holder})", spec, locks[0].Holder);
                await workspace.CancelAsync(spec, cancellationToken);
                await ConvergeAsync(request, workspace, steps, recovering: true, cancellationToken);
            }
        }
        catch (ConcurrentUpdateException ex)
        {
            var holder = StackLock.Read(ex).FirstOrDefault();
            var hint = holder is not null && IsStaleAndOurs(holder) && _options.CancelStaleLocksAfter is null
                ? $"; the lock is this controller's own, left by an update that ended: --{PulumiEngineDefinition.CancelStaleLocks.Name} lets the controller cancel it"
                : "";
            steps.Fail(request.Plan, StackLockedCode,
                $"stack {spec} is locked by {(holder is null ? "another update" : holder.Holder)}{hint}");
            _logger.LogWarning("Pulumi stack {Stack} is locked by {Holder}", spec, holder?.Holder ?? "another update");
        }
        catch (CommandException ex)
        {
            // The resource diagnostics say what failed; the command's own text only when there were none.
            if (steps.Errors.Count == 0)
            {
                steps.Fail(request.Plan, "PulumiError", Redact(ex.Result.StandardError.Trim()));
            }
            _logger.LogWarning("Pulumi {Operation} of {Stack} failed with exit code {Code}", "update", spec, ex.Result.Code);
        }
        finally
        {
            _processes.Release();
            steps.Dispose();
        }
        return steps.Outcome();
    }

    /// <summary>Removes the spec's stack from the backend, leaving its resources in AWS as they are, and its folder.</summary>
    public async Task ReleaseAsync(string spec, CancellationToken cancellationToken)
    {
        await _processes.WaitAsync(cancellationToken);
        try
        {
            var workspace = Workspace(spec);
            var programFile = Path.Combine(workspace.WorkDir, "Pulumi.yaml");
            if (!File.Exists(programFile))
            {
                // The CLI finds the project through Pulumi.yaml; the stack may be in the backend without our folder (a new task).
                await workspace.SaveProjectAsync(PulumiProgramRenderer.Render(new DesiredState { SpecName = spec }).ToYaml(), cancellationToken);
            }
            try
            {
                await workspace.RemoveStackAsync(spec, force: true, cancellationToken);
                _logger.LogInformation("Pulumi stack {Stack} removed; its resources stay in AWS for the spec's new engine", spec);
            }
            catch (StackNotFoundException)
            {
                // Never made (a switch before any apply): nothing holds the resources.
            }
            catch (CommandException ex)
            {
                throw new InvalidOperationException($"pulumi stack rm of {spec} failed: {Redact(ex.Result.StandardError.Trim())}");
            }
            Directory.Delete(workspace.WorkDir, recursive: true);
        }
        finally
        {
            _processes.Release();
        }
    }

    private LocalWorkspace Workspace(string spec) => LocalWorkspace.Create(new LocalWorkspaceOptions
    {
        WorkDir = Path.Combine(Path.GetFullPath(_options.WorkDir), spec),
        EnvironmentVariables = _options.Environment,
        PulumiCommand = _command,
    });

    /// <summary>
    /// One converge of the spec's stack. A stack this engine does not hold the resources in yet (new, or recovering from an
    /// interrupted update) first adopts whatever of the spec is live, through an <c>up</c> of the live state with the
    /// <c>import</c> option, so that nothing is made twice; recovering first clears the pending operations with a refresh.
    /// </summary>
    private async Task ConvergeAsync(ConvergeRequest request, LocalWorkspace workspace, StepRecorder steps, bool recovering, CancellationToken cancellationToken)
    {
        var spec = request.Owner.SpecName;
        var desiresNothing = request.Desired.Projects.Count == 0 && request.Desired.Pipeline is null;
        var liveAsDesired = LiveAsDesired(request);
        var anythingLive = liveAsDesired.Projects.Count > 0 || liveAsDesired.Pipeline is not null;
        var programFile = Path.Combine(workspace.WorkDir, "Pulumi.yaml");
        var previous = File.Exists(programFile) ? await File.ReadAllTextAsync(programFile, cancellationToken) : null;
        var program = desiresNothing ? null : PulumiProgramRenderer.Render(request.Desired).ToYaml();
        if (previous is null)
        {
            // The CLI finds the project (and so the stack) through Pulumi.yaml: it is written first.
            await workspace.SaveProjectAsync(program ?? PulumiProgramRenderer.Render(liveAsDesired).ToYaml(), cancellationToken);
        }
        var (stack, created) = await SelectOrCreateAsync(spec, workspace, cancellationToken);
        if (recovering)
        {
            // The killed update's pending operations: cleared, and the state learns what the cloud now holds.
            await stack.RefreshAsync(new RefreshOptions { ClearPendingCreates = true, OnEvent = steps.Record }, cancellationToken);
        }
        if ((created || recovering) && anythingLive)
        {
            // Resources made by the direct engine, or by an update that died before recording them, are adopted as they are.
            await workspace.SaveProjectAsync(PulumiProgramRenderer.Render(liveAsDesired, new PulumiProgramOptions(Import: true)).ToYaml(), cancellationToken);
            await stack.UpAsync(new UpOptions { OnEvent = steps.Record }, cancellationToken);
        }
        if (desiresNothing)
        {
            if (request.Plan.Steps.Any(s => s.Action == StepAction.Release))
            {
                var released = PulumiProgramRenderer.Render(liveAsDesired, new PulumiProgramOptions(RetainOnDelete: true, ReleaseOwnership: true));
                await workspace.SaveProjectAsync(released.ToYaml(), cancellationToken);
                await stack.UpAsync(new UpOptions { OnEvent = steps.Record }, cancellationToken);
            }
            await stack.DestroyAsync(new DestroyOptions { OnEvent = steps.Record }, cancellationToken);
            await workspace.RemoveStackAsync(spec, force: false, cancellationToken);
            Directory.Delete(workspace.WorkDir, recursive: true);
            return;
        }
        await workspace.SaveProjectAsync(program!, cancellationToken);
        if (program == previous && !created && !recovering)
        {
            // The program is what was applied last: the plan is not empty because the cloud moved. The state must
            // learn that first, or up would compare against what it last wrote and change nothing.
            await stack.RefreshAsync(new RefreshOptions { OnEvent = steps.Record }, cancellationToken);
        }
        await stack.UpAsync(new UpOptions { OnEvent = steps.Record }, cancellationToken);
    }

    // A lock is stale and ours when this controller's user took it and its process on this host has ended, or it is
    // older than the configured age (no CLI run of ours outlives the reconcile timeout and the interrupt grace).
    private bool IsStaleAndOurs(StackLock stackLock) =>
        stackLock.User == Environment.UserName
        && ((stackLock.Host == Environment.MachineName && !StackLock.ProcessRuns(stackLock.Pid))
            || (_options.CancelStaleLocksAfter is { } age && stackLock.TakenAt is { } at && _time.GetUtcNow() - at > age));

    private async Task<(WorkspaceStack Stack, bool Created)> SelectOrCreateAsync(string spec, LocalWorkspace workspace, CancellationToken cancellationToken)
    {
        try
        {
            return (await WorkspaceStack.SelectAsync(spec, workspace, cancellationToken), false);
        }
        catch (StackNotFoundException)
        {
            var stack = await WorkspaceStack.CreateAsync(spec, workspace, cancellationToken);
            await stack.SetConfigAsync("aws:region", _options.Region, secret: false, cancellationToken);
            return (stack, true);
        }
    }

    // Retain's program declares what is live, so that its up changes nothing but the tags and the retain marks.
    private static DesiredState LiveAsDesired(ConvergeRequest request) => new()
    {
        SpecName = request.Owner.SpecName,
        Projects = request.Live.Projects.Values.Select(p => new DesiredProject
        {
            Stage = p.Name,
            Project = p.WithoutServerFields(),
            Webhook = p.Webhook is { } hook
                ? new WebhookRequest { ProjectName = p.Name, FilterGroups = hook.FilterGroups, BuildType = hook.BuildType, BranchFilter = hook.BranchFilter }
                : null,
        }).ToList(),
        Pipeline = request.Live.Pipelines.Values.Select(p => new DesiredPipeline { Declaration = p.Declaration with { Version = null }, Tags = p.Tags }).FirstOrDefault(),
    };

    /// <summary>Removes what looks like a credential from CLI text before it reaches a status, a log or a span.</summary>
    internal static string Redact(string text) => Secrets().Replace(text, "$1[redacted]");

    [GeneratedRegex(@"((?:token|secret|password|passphrase|key)[^\s:=]*\s*[:=]\s*)\S+|(pul-)[A-Za-z0-9]+", RegexOptions.IgnoreCase)]
    private static partial Regex Secrets();

    public void Dispose() => _processes.Dispose();

    /// <summary>Turns engine events into spans, applied resources and errors as they arrive.</summary>
    private sealed class StepRecorder(ActivityContext parent) : IDisposable
    {
        private readonly ConcurrentDictionary<string, Activity> _open = new(StringComparer.Ordinal);
        private readonly List<AppliedResource> _applied = [];
        private readonly Lock _lock = new();

        public List<ApplyError> Errors { get; } = [];

        public void Record(EngineEvent e)
        {
            if (e.ResourcePreEvent?.Metadata is { } pre && Kind(pre.Type) is not null)
            {
                var activity = RuntimeTracing.Source.StartActivity($"pulumi {pre.Op}", ActivityKind.Internal, parent);
                activity?.SetTag("pulumi.op", pre.Op);
                activity?.SetTag("pulumi.urn", pre.Urn);
                activity?.SetTag("pulumi.type", pre.Type);
                if (activity is not null)
                {
                    _open[pre.Urn] = activity;
                }
            }
            if (e.ResourceOutputsEvent?.Metadata is { } done && Kind(done.Type) is { } kind)
            {
                Close(done.Urn, ActivityStatusCode.Ok);
                var action = done.Op switch { "create" => StepAction.Create, "update" => StepAction.Update, "delete" => StepAction.Delete, _ => (StepAction?)null };
                if (action is { } a)
                {
                    var state = done.New ?? done.Old;
                    lock (_lock)
                    {
                        _applied.Add(new AppliedResource(kind, ResourceName(done.Urn), (string?)state?.Outputs?["arn"], a));
                    }
                }
            }
            if (e.DiagnosticEvent is { Severity: "error", Urn: { } urn } diagnostic && Kind(TypeOf(urn)) is { } failedKind)
            {
                lock (_lock)
                {
                    Errors.Add(new ApplyError(failedKind, ResourceName(urn), StepAction.Update, "PulumiError", Redact(diagnostic.Message.Trim())));
                }
            }
            if (e.ResourceOperationFailedEvent?.Metadata is { } failed)
            {
                Close(failed.Urn, ActivityStatusCode.Error);
            }
        }

        public void Fail(Plan plan, string code, string message)
        {
            lock (_lock)
            {
                var step = plan.Steps.FirstOrDefault();
                Errors.Add(new ApplyError(step?.Kind ?? ResourceKind.CodeBuildProject, step?.Name ?? "", step?.Action ?? StepAction.Update, code, message));
            }
        }

        public ApplyOutcome Outcome()
        {
            lock (_lock)
            {
                return new ApplyOutcome(
                    _applied.Count(a => a.Action == StepAction.Create),
                    _applied.Count(a => a.Action == StepAction.Update),
                    _applied.Count(a => a.Action == StepAction.Delete),
                    [.. _applied], [.. Errors]);
            }
        }

        private void Close(string urn, ActivityStatusCode status)
        {
            if (_open.TryRemove(urn, out var activity))
            {
                activity.SetStatus(status);
                activity.Dispose();
            }
        }

        public void Dispose()
        {
            foreach (var urn in _open.Keys.ToList())
            {
                Close(urn, ActivityStatusCode.Unset);
            }
        }

        private static string TypeOf(string urn) => urn.Split("::") is { Length: >= 4 } parts ? parts[2] : "";

        // A webhook is named after its project, as the direct engine names it.
        private static string ResourceName(string urn)
        {
            var name = urn[(urn.LastIndexOf("::", StringComparison.Ordinal) + 2)..];
            return TypeOf(urn) == PulumiResourceType.CodeBuildWebhook.Token && name.EndsWith(PulumiProgramRenderer.WebhookSuffix, StringComparison.Ordinal)
                ? name[..^PulumiProgramRenderer.WebhookSuffix.Length]
                : name;
        }

        private static ResourceKind? Kind(string type) =>
            type == PulumiResourceType.CodeBuildProject.Token ? ResourceKind.CodeBuildProject
            : type == PulumiResourceType.CodePipeline.Token ? ResourceKind.CodePipeline
            : type == PulumiResourceType.CodeBuildWebhook.Token ? ResourceKind.CodeBuildWebhook
            : null;
    }
}
