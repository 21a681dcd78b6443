namespace Reconciler.Controller.Cli;

/// <summary>The process exit codes every command uses.</summary>
public static class ExitCodes
{
    public const int Ok = 0;
    /// <summary>The input was read but is not valid (a document, a plan with differences...).</summary>
    public const int Invalid = 1;
    /// <summary>The command line was wrong, or a named input could not be read.</summary>
    public const int Usage = 2;
}
