using System.CommandLine;
using System.CommandLine.Invocation;
using System.CommandLine.Parsing;

namespace Reconciler.Controller.Cli;

/// <summary>
/// A command action that turns command-line mistakes (unknown option, bad option value, missing argument) into
/// <see cref="ExitCodes.Usage"/> (2) with a pointer to <c>--help</c>, instead of System.CommandLine's default 1, so scripts can tell
/// "you called me wrong" from "your documents are wrong".
/// </summary>
public sealed class UsageCheckedAction(Func<ParseResult, CancellationToken, Task<int>> run) : AsynchronousCommandLineAction
{
    // Without this, System.CommandLine swaps in its own error action (exit 1) before ours can run.
    public override bool ClearsParseErrors => true;

    public override Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
    {
        var problems = parseResult.Errors.Select(e => e.Message)
            .Concat(parseResult.UnmatchedTokens.Select(t => $"Unrecognized command or argument '{t}'."))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return problems.Count > 0 ? Task.FromResult(Fail(parseResult, problems)) : run(parseResult, cancellationToken);
    }

    /// <summary>Reports usage problems found by the command itself (after parsing) the same way.</summary>
    public static int Fail(ParseResult parseResult, IEnumerable<string> problems)
    {
        var error = parseResult.InvocationConfiguration.Error;
        foreach (var problem in problems)
        {
            error.WriteLine(problem);
        }
        error.WriteLine($"Run '{CommandLine(parseResult.CommandResult)} --help' for usage.");
        return ExitCodes.Usage;
    }

    private static string CommandLine(CommandResult command) =>
        command.Parent is CommandResult parent ? $"{CommandLine(parent)} {command.Command.Name}" : "reconciler";
}
