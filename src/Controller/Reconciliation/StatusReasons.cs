namespace Reconciler.Controller.Reconciliation;

/// <summary>The CamelCase reasons the pipeline controller puts on conditions.</summary>
public static class StatusReasons
{
    public const string Converged = "Converged";
    public const string Applying = "Applying";
    public const string InvalidSpec = "InvalidSpec";
    public const string ResourceConflict = "ResourceConflict";
    public const string MissingTemplate = "MissingTemplate";
    public const string MissingTokenParameter = "MissingTokenParameter";
    public const string MissingTokenSecret = "MissingTokenSecret";
    public const string AwsError = "AwsError";
    public const string DriftDetected = "DriftDetected";
    public const string DriftCorrected = "DriftCorrected";
    public const string NoDrift = "NoDrift";
    public const string Deleting = "Deleting";
    public const string StatusTooLarge = "StatusTooLarge";

    /// <summary>Another update holds the spec's Pulumi stack; the spec is retried (status says when).</summary>
    public const string StackLocked = "StackLocked";
}

/// <summary>The values of <c>status.phase</c>.</summary>
public static class StatusPhases
{
    public const string Reconciling = "Reconciling";
    public const string Ready = "Ready";
    public const string Drifted = "Drifted";
    public const string Stalled = "Stalled";
    public const string Failed = "Failed";
    public const string Deleting = "Deleting";
}

/// <summary>The values of <c>status.resources[].state</c>.</summary>
public static class ResourceStates
{
    public const string Synced = "Synced";
    public const string Missing = "Missing";
    public const string Drifted = "Drifted";
    public const string Extra = "Extra";
    public const string Conflict = "Conflict";
    public const string Failed = "Failed";
}
