using System.Text.Json;

namespace Reconciler.Controller.Engines.Pulumi.Automation;

/// <summary>Where a workspace lives and what its CLI runs see.</summary>
public sealed record LocalWorkspaceOptions
{
    /// <summary>The project folder: <c>Pulumi.yaml</c> and the stacks' <c>Pulumi.&lt;stack&gt;.yaml</c>.</summary>
    public required string WorkDir { get; init; }

    /// <summary>Added to the controller's environment for every CLI run (backend URL, token, AWS endpoint...).</summary>
    public IReadOnlyDictionary<string, string?> EnvironmentVariables { get; init; } = new Dictionary<string, string?>();

    public required LocalPulumiCommand PulumiCommand { get; init; }
}

/// <summary>
/// A project folder and the CLI that works on it, as in Pulumi's .NET Automation API: stack selection, creation and
/// removal, config, and the update operations that <see cref="WorkspaceStack"/> calls.
/// </summary>
public sealed class LocalWorkspace(LocalWorkspaceOptions options)
{
    public string WorkDir => options.WorkDir;

    public LocalPulumiCommand PulumiCommand => options.PulumiCommand;

    /// <summary>A workspace in a folder that is created if missing.</summary>
    public static LocalWorkspace Create(LocalWorkspaceOptions options)
    {
        Directory.CreateDirectory(options.WorkDir);
        return new LocalWorkspace(options);
    }

    /// <summary>Writes the project file (a YAML program) the CLI runs.</summary>
    public Task SaveProjectAsync(string pulumiYaml, CancellationToken cancellationToken) =>
        File.WriteAllTextAsync(Path.Combine(WorkDir, "Pulumi.yaml"), pulumiYaml, cancellationToken);

    public Task SelectStackAsync(string stackName, CancellationToken cancellationToken) =>
        RunAsync(["stack", "select", "--stack", stackName], null, cancellationToken);

    public Task CreateStackAsync(string stackName, CancellationToken cancellationToken) =>
        RunAsync(["stack", "init", stackName], null, cancellationToken);

    /// <summary><c>stack rm --yes [--force] &lt;stack&gt;</c>; <paramref name="force"/> removes a stack that still has resources, leaving them in the cloud.</summary>
    public Task RemoveStackAsync(string stackName, bool force, CancellationToken cancellationToken) =>
        RunAsync(force ? ["stack", "rm", "--yes", "--force", stackName] : ["stack", "rm", "--yes", stackName], null, cancellationToken);

    /// <summary>Sets one config value; a secret is passed as <c>--secret</c> and never appears in an argument list the controller logs.</summary>
    public Task SetConfigAsync(string stackName, string key, string value, bool secret, CancellationToken cancellationToken) =>
        RunAsync(["config", "set", key, secret ? "--secret" : "--plaintext", "--stack", stackName, "--non-interactive", "--", value], null, cancellationToken);

    /// <summary>The stack's update history, newest first (<c>stack history --json --show-secrets</c>, one page of <paramref name="pageSize"/>).</summary>
    public async Task<IReadOnlyList<UpdateSummary>> GetStackHistoryAsync(string stackName, int pageSize, CancellationToken cancellationToken)
    {
        var result = await RunAsync(["stack", "history", "--json", "--show-secrets", "--page-size", pageSize.ToString(System.Globalization.CultureInfo.InvariantCulture), "--page", "1", "--stack", stackName], null, cancellationToken);
        return JsonSerializer.Deserialize(result.StandardOutput, AutomationJsonContext.Default.ListUpdateSummary) ?? [];
    }

    /// <summary>Releases the stack's update lock (<c>cancel --yes</c>); on a DIY backend this deletes the lock files.</summary>
    public Task CancelAsync(string stackName, CancellationToken cancellationToken) =>
        RunAsync(["cancel", "--yes", "--stack", stackName], null, cancellationToken);

    internal Task<CommandResult> RunAsync(IReadOnlyList<string> args, Action<EngineEvent>? onEvent, CancellationToken cancellationToken) =>
        options.PulumiCommand.RunAsync(args, WorkDir, options.EnvironmentVariables, onEvent, cancellationToken);
}
