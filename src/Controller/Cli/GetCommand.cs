using System.CommandLine;
using System.Globalization;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler get [name] [-o table|json|yaml] [-l selector]</c>: one document or all of them.</summary>
public static class GetCommand
{
    public static Command Create()
    {
        var name = new Argument<string?>("name") { Description = "The document to show (all when omitted); `templates` lists PulumiPipelineTemplates, `template <name>` shows one.", Arity = ArgumentArity.ZeroOrOne };
        var templateName = new Argument<string?>("template") { Description = "After `template`: the template to show.", Arity = ArgumentArity.ZeroOrOne };
        var format = new Option<string>("--output", "-o") { Description = "table, json or yaml.", DefaultValueFactory = _ => "table" };
        format.AcceptOnlyFromAmong("table", "json", "yaml");
        var selector = new Option<string?>("--selector", "-l") { Description = "Label selector, e.g. team=web,tier!=canary." };
        var store = new StoreOptions();
        var command = new Command("get", "Show spec documents. " + ExitCodes.HelpText);
        command.Arguments.Add(name);
        command.Arguments.Add(templateName);
        command.Options.Add(format);
        command.Options.Add(selector);
        store.AddTo(command);
        command.SetAction((ParseResult parse, CancellationToken cancellationToken) => store.RunAsync(parse, async (specs, _) =>
        {
            var output = parse.InvocationConfiguration.Output;
            if (TemplateCommands.NamesTemplates(parse.GetValue(name), parse.GetValue(templateName), out var template, out var wanted))
            {
                return await TemplateCommands.GetAsync(parse, specs, template, parse.GetValue(format)!, cancellationToken);
            }
            List<PulumiPipeline> documents;
            if (wanted is not null)
            {
                var document = await specs.GetAsync(wanted, cancellationToken);
                if (document is null)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"error: document '{wanted}' not found");
                    return ExitCodes.Failure;
                }
                documents = [document];
            }
            else
            {
                try
                {
                    documents = await ListAllAsync(specs, parse.GetValue(selector), cancellationToken);
                }
                catch (FormatException e)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync($"error: {e.Message}");
                    return ExitCodes.Usage;
                }
            }
            var text = parse.GetValue(format) switch
            {
                "json" => wanted is null ? DocumentOutput.Json(documents) + "\n" : DocumentOutput.Json(documents[0]) + "\n",
                "yaml" => DocumentOutput.Yaml(documents),
                _ => Table(documents, TimeProvider.System.GetUtcNow()),
            };
            await output.WriteAsync(text);
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    internal static async Task<List<PulumiPipeline>> ListAllAsync(ISpecStore specs, string? selector, CancellationToken cancellationToken)
    {
        var documents = new List<PulumiPipeline>();
        string? token = null;
        do
        {
            var page = await specs.ListAsync(new ListOptions(ContinueToken: token, LabelSelector: selector), cancellationToken);
            documents.AddRange(page.Items);
            token = page.ContinueToken;
        }
        while (token is not null);
        documents.Sort((a, b) => string.CompareOrdinal(a.Metadata.Name, b.Metadata.Name));
        return documents;
    }

    private static string Table(IReadOnlyList<PulumiPipeline> documents, DateTimeOffset now)
    {
        var rows = new List<string[]> { new[] { "NAME", "GENERATION", "OBSERVED", "PHASE", "READY", "AGE" } };
        rows.AddRange(documents.Select(d => (Document: d, View: SpecStatusView.Of(d))).Select(d => new[]
        {
            d.View.Name,
            d.View.Generation.ToString(CultureInfo.InvariantCulture),
            d.View.ObservedGeneration?.ToString(CultureInfo.InvariantCulture) ?? "-",
            d.View.Phase,
            d.View.Ready,
            Age(d.Document.Metadata.CreationTimestamp, now),
        }));
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return string.Concat(rows.Select(r => string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd() + "\n"));
    }

    internal static string Age(DateTimeOffset? since, DateTimeOffset now)
    {
        if (since is null)
        {
            return "-";
        }
        var age = now - since.Value;
        return age.TotalDays >= 2 ? $"{(int)age.TotalDays}d"
            : age.TotalHours >= 2 ? $"{(int)age.TotalHours}h"
            : age.TotalMinutes >= 2 ? $"{(int)age.TotalMinutes}m"
            : $"{Math.Max(0, (int)age.TotalSeconds)}s";
    }
}
