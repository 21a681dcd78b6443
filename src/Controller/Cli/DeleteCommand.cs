using System.CommandLine;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler delete &lt;name&gt; [--wait]</c>: removes a document, or marks it while the controller's finalizers clean up.</summary>
public static class DeleteCommand
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(250);

    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The document to delete; `template <name>` deletes a PulumiPipelineTemplate." };
        var templateName = new Argument<string?>("template") { Description = "After `template`: the template to delete.", Arity = ArgumentArity.ZeroOrOne };
        var force = new Option<bool>("--force") { Description = "Delete a template even though specs name it (they become Stalled, MissingTemplate)." };
        var wait = new Option<bool>("--wait") { Description = "Wait until the document is gone (its finalizers have run)." };
        var timeout = new Option<TimeSpan>("--timeout") { Description = "How long --wait waits (default 5 minutes).", DefaultValueFactory = _ => TimeSpan.FromMinutes(5) };
        var store = new StoreOptions();
        var command = new Command("delete",
            "Delete a document: removed at once when it has no finalizers, otherwise marked (deletionTimestamp) until the controller removes them. " + ExitCodes.HelpText);
        command.Arguments.Add(name);
        command.Arguments.Add(templateName);
        command.Options.Add(force);
        command.Options.Add(wait);
        command.Options.Add(timeout);
        store.AddTo(command);
        command.SetAction((ParseResult parse, CancellationToken cancellationToken) => store.RunAsync(parse, async (specs, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (TemplateCommands.NamesTemplates(parse.GetValue(name), parse.GetValue(templateName), out var template, out var spec))
            {
                if (template is null)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("error: name the template to delete: delete template <name>");
                    return ExitCodes.Usage;
                }
                return await TemplateCommands.DeleteAsync(parse, specs, template, parse.GetValue(force), cancellationToken);
            }
            var target = spec!;
            if (await specs.GetAsync(target, cancellationToken) is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: document '{target}' not found");
                return ExitCodes.Failure;
            }
            var marked = await specs.DeleteAsync(target, null, cancellationToken);
            if (marked is null)
            {
                await output.WriteLineAsync($"pulumipipeline/{target} deleted");
                return ExitCodes.Ok;
            }
            await output.WriteLineAsync($"pulumipipeline/{target} marked for deletion; waiting on finalizers: {string.Join(", ", marked.Metadata.Finalizers ?? [])}");
            if (!parse.GetValue(wait))
            {
                return ExitCodes.Ok;
            }
            var deadline = TimeProvider.System.GetUtcNow() + parse.GetValue(timeout);
            while (await specs.GetAsync(target, cancellationToken) is not null)
            {
                if (TimeProvider.System.GetUtcNow() > deadline)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"error: document '{target}' still has finalizers after {parse.GetValue(timeout)}");
                    return ExitCodes.Failure;
                }
                await Task.Delay(PollInterval, TimeProvider.System, cancellationToken);
            }
            await output.WriteLineAsync($"pulumipipeline/{target} deleted");
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }
}
