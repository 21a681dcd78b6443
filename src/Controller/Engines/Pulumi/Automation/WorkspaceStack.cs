using System.Globalization;

namespace Reconciler.Controller.Engines.Pulumi.Automation;

/// <summary>One stack of a workspace and the operations on it, with the argument lists of Pulumi's .NET Automation API.</summary>
public sealed class WorkspaceStack
{
    private const string ExecKind = "auto.local";

    private WorkspaceStack(string name, LocalWorkspace workspace)
    {
        Name = name;
        Workspace = workspace;
    }

    public string Name { get; }

    public LocalWorkspace Workspace { get; }

    /// <summary>Selects the stack; <see cref="StackNotFoundException"/> when it does not exist.</summary>
    public static async Task<WorkspaceStack> SelectAsync(string name, LocalWorkspace workspace, CancellationToken cancellationToken)
    {
        await workspace.SelectStackAsync(name, cancellationToken);
        return new WorkspaceStack(name, workspace);
    }

    /// <summary>Creates the stack; <see cref="StackAlreadyExistsException"/> when it exists.</summary>
    public static async Task<WorkspaceStack> CreateAsync(string name, LocalWorkspace workspace, CancellationToken cancellationToken)
    {
        await workspace.CreateStackAsync(name, cancellationToken);
        return new WorkspaceStack(name, workspace);
    }

    /// <summary>Selects the stack, creating it when it does not exist.</summary>
    public static async Task<WorkspaceStack> CreateOrSelectAsync(string name, LocalWorkspace workspace, CancellationToken cancellationToken)
    {
        try
        {
            return await SelectAsync(name, workspace, cancellationToken);
        }
        catch (StackNotFoundException)
        {
            return await CreateAsync(name, workspace, cancellationToken);
        }
    }

    public Task SetConfigAsync(string key, string value, bool secret, CancellationToken cancellationToken) =>
        Workspace.SetConfigAsync(Name, key, value, secret, cancellationToken);

    /// <summary><c>up --yes --skip-preview [--expect-no-changes] [--refresh] [...] --exec-kind auto.local --stack &lt;s&gt;</c>.</summary>
    public async Task<UpResult> UpAsync(UpOptions? options, CancellationToken cancellationToken)
    {
        options ??= new UpOptions();
        var result = await RunUpdateAsync("up", options, [(options.ExpectNoChanges, "--expect-no-changes"), (options.Refresh, "--refresh")], cancellationToken);
        return new UpResult(result.StandardOutput, result.StandardError, result.Summary);
    }

    /// <summary><c>refresh --yes --skip-preview [--clear-pending-creates] [...] --exec-kind auto.local --stack &lt;s&gt;</c>.</summary>
    public Task<UpdateResult> RefreshAsync(RefreshOptions? options, CancellationToken cancellationToken)
    {
        options ??= new RefreshOptions();
        return RunUpdateAsync("refresh", options, [(options.ClearPendingCreates, "--clear-pending-creates")], cancellationToken);
    }

    /// <summary><c>destroy --yes --skip-preview [...] --exec-kind auto.local --stack &lt;s&gt;</c>.</summary>
    public Task<UpdateResult> DestroyAsync(DestroyOptions? options, CancellationToken cancellationToken) =>
        RunUpdateAsync("destroy", options ?? new DestroyOptions(), [], cancellationToken);

    private async Task<UpdateResult> RunUpdateAsync(
        string command, UpdateOptions options, IReadOnlyList<(bool When, string Flag)> flags, CancellationToken cancellationToken)
    {
        var args = new List<string> { command, "--yes", "--skip-preview" };
        args.AddRange(flags.Where(f => f.When).Select(f => f.Flag));
        AddUpdateOptions(args, options);
        args.AddRange(["--exec-kind", ExecKind, "--stack", Name]);
        var result = await Workspace.RunAsync(args, options.OnEvent, cancellationToken);
        return new UpdateResult(result.StandardOutput, result.StandardError, await LatestSummaryAsync(cancellationToken));
    }

    public Task CancelAsync(CancellationToken cancellationToken) => Workspace.CancelAsync(Name, cancellationToken);

    private async Task<UpdateSummary?> LatestSummaryAsync(CancellationToken cancellationToken) =>
        (await Workspace.GetStackHistoryAsync(Name, 1, cancellationToken)).FirstOrDefault();

    // The .NET SDK's ApplyUpdateOptions, limited to what the CLI accepts on every one of the three commands.
    private static void AddUpdateOptions(List<string> args, UpdateOptions options)
    {
        if (options.Parallel is { } parallel)
        {
            args.AddRange(["--parallel", parallel.ToString(CultureInfo.InvariantCulture)]);
        }
        if (!string.IsNullOrEmpty(options.Message))
        {
            args.AddRange(["--message", options.Message]);
        }
    }
}
