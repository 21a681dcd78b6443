namespace Reconciler.Controller.Cli;

/// <summary>The process exit codes every command uses (documented in <c>--help</c> and the README).</summary>
public static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>The command failed: an invalid document, a conflict, a document not found, an unreachable store.</summary>
    public const int Failure = 1;

    /// <summary>The input was read but is not valid (a document, a plan with differences...); the same code as <see cref="Failure"/>.</summary>
    public const int Invalid = Failure;

    /// <summary>The command line itself was wrong, or a named input could not be read.</summary>
    public const int Usage = 2;

    public const string HelpText = "Exit codes: 0 ok; 1 failure (invalid document, conflict, not found, store error); 2 usage error.";
}
