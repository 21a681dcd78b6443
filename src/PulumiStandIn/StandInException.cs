namespace Reconciler.PulumiStandIn;

/// <summary>An error the CLI reports as <c>error: &lt;message&gt;</c> on stderr, with its exit code.</summary>
internal class StandInException(string message, int exitCode = ExitCodes.Error) : Exception(message)
{
    public int ExitCode { get; } = exitCode;
}

/// <summary>The CLI's exit codes (<c>pkg/cmd/pulumi/cmd/exit_codes.go</c>).</summary>
internal static class ExitCodes
{
    public const int Success = 0;
    public const int Error = 1;
    public const int Configuration = 2;
    public const int StackNotFound = 6;
    public const int Cancelled = 8;
}
