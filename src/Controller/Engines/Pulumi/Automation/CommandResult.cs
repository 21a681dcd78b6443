namespace Reconciler.Controller.Engines.Pulumi.Automation;

/// <summary>What one CLI run returned: exit code and the captured output streams.</summary>
public sealed record CommandResult(int Code, string StandardOutput, string StandardError);
