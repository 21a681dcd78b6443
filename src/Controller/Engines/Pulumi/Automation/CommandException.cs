using System.Text.RegularExpressions;

namespace Reconciler.Controller.Engines.Pulumi.Automation;

/// <summary>A CLI run that exited non-zero; subclasses name the failures callers branch on, classified from stderr as the official SDKs do.</summary>
/// <remarks>The message is the CLI's stderr; callers redact before it reaches a status or a span.</remarks>
public partial class CommandException(string name, CommandResult result) : Exception($"{name}: exit code {result.Code}: {result.StandardError.Trim()}")
{
    public CommandResult Result { get; } = result;

    /// <summary>The exception for a failed run, checked in the .NET SDK's order: not found, already exists, concurrent update, locked.</summary>
    public static CommandException CreateFromResult(CommandResult result)
    {
        if (StackNotFound().IsMatch(result.StandardError))
        {
            return new StackNotFoundException(result);
        }
        if (StackAlreadyExists().IsMatch(result.StandardError))
        {
            return new StackAlreadyExistsException(result);
        }
        if (result.StandardError.Contains("[409] Conflict: Another update is currently in progress.", StringComparison.Ordinal)
            || result.StandardError.Contains("the stack is currently locked by", StringComparison.Ordinal))
        {
            return new ConcurrentUpdateException(result);
        }
        return new CommandException(nameof(CommandException), result);
    }

    [GeneratedRegex("no stack named.*found")]
    private static partial Regex StackNotFound();

    [GeneratedRegex("stack.*already exists")]
    private static partial Regex StackAlreadyExists();
}

/// <summary>The stack does not exist (<c>no stack named '…' found</c>).</summary>
public sealed class StackNotFoundException(CommandResult result) : CommandException(nameof(StackNotFoundException), result);

/// <summary>The stack exists already (<c>stack '…' already exists</c>).</summary>
public sealed class StackAlreadyExistsException(CommandResult result) : CommandException(nameof(StackAlreadyExistsException), result);

/// <summary>Another update holds the stack: the service's 409 or a DIY backend's lock file.</summary>
public sealed class ConcurrentUpdateException(CommandResult result) : CommandException(nameof(ConcurrentUpdateException), result)
{
    /// <summary>The holders the CLI lists (<c>&lt;lock&gt;: created by user@host (pid N) at time</c>), when it lists them.</summary>
    public IReadOnlyList<string> Holders { get; } = result.StandardError.Split('\n')
        .Select(l => l.Trim())
        .Where(l => l.Contains(": created by ", StringComparison.Ordinal))
        .Select(l => l[(l.IndexOf(": created by ", StringComparison.Ordinal) + 2)..])
        .ToList();
}

/// <summary>The CLI could not be run or is older than the Automation API supports.</summary>
public sealed class PulumiCliUnavailableException(string message, Exception? inner = null) : Exception(message, inner);
