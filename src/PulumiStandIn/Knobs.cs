namespace Reconciler.PulumiStandIn;

/// <summary>Environment variables that make the stand-in misbehave the way the real CLI can, for tests and the demo.</summary>
internal static class Knobs
{
    /// <summary>A file path: every invocation appends one line (<c>pid command args...</c>), so tests can count CLI processes.</summary>
    public const string CountFile = "PULUMI_STANDIN_COUNT_FILE";

    /// <summary>A file path: while the file exists, update operations find the stack locked by another process.</summary>
    public const string LockHeldWhile = "PULUMI_STANDIN_LOCK_HELD_WHILE";

    /// <summary>A logical resource name: its create or update fails with a provider error (<c>name</c> or <c>name=message</c>).</summary>
    public const string FailResource = "PULUMI_STANDIN_FAIL_RESOURCE";

    /// <summary>Milliseconds to wait before each resource step (a slow update).</summary>
    public const string StepDelayMs = "PULUMI_STANDIN_STEP_DELAY_MS";

    /// <summary>A number n: after n resource steps the process dies at once, leaving its lock and a pending operation (a killed update).</summary>
    public const string InterruptAfterSteps = "PULUMI_STANDIN_INTERRUPT_AFTER_STEPS";
}
