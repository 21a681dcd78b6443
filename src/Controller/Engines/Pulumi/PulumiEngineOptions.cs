namespace Reconciler.Controller.Engines.Pulumi;

/// <summary>How the Pulumi engine runs: which CLI, where the stacks' folders live, how many CLI processes at once.</summary>
public sealed record PulumiEngineOptions
{
    public string Cli { get; init; } = "pulumi";

    /// <summary>One folder per spec under this root: <c>Pulumi.yaml</c> (the generated program) and <c>Pulumi.&lt;stack&gt;.yaml</c>.</summary>
    public string WorkDir { get; init; } = Path.Combine(".reconciler", "pulumi");

    /// <summary>CLI processes at once; each costs tens of megabytes (the real CLI plus its language and provider plugins).</summary>
    public int Concurrency { get; init; } = 4;

    /// <summary>The region set as <c>aws:region</c> on every stack.</summary>
    public string Region { get; init; } = "us-east-1";

    /// <summary>Added to the controller's own environment for every CLI run (the backend, credentials and endpoint are inherited).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>
    /// Null: a held lock is only reported and retried. Otherwise <c>pulumi cancel</c> releases a lock this controller's
    /// user took whose process on this host has ended, or that is older than this, and the update's state is recovered.
    /// </summary>
    public TimeSpan? CancelStaleLocksAfter { get; init; }

    /// <summary>After SIGINT, how long a cancelled CLI run may take to stop before it is killed.</summary>
    public TimeSpan InterruptGrace { get; init; } = TimeSpan.FromSeconds(10);
}
