using System.CommandLine;
using System.Globalization;
using System.Text;
using Reconciler.Controller.Reconciliation;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler describe &lt;name&gt;</c>: metadata, stages, conditions, resources and the last apply, for people.</summary>
public static class DescribeCommand
{
    public static Command Create()
    {
        var name = new Argument<string>("name") { Description = "The document to describe; `template <name>` describes a PulumiPipelineTemplate." };
        var templateName = new Argument<string?>("template") { Description = "After `template`: the template to describe.", Arity = ArgumentArity.ZeroOrOne };
        var store = new StoreOptions();
        var command = new Command("describe", "Show one document's metadata, conditions, resources and last apply. " + ExitCodes.HelpText);
        command.Arguments.Add(name);
        command.Arguments.Add(templateName);
        store.AddTo(command);
        command.SetAction((ParseResult parse, CancellationToken cancellationToken) => store.RunAsync(parse, async (specs, _) =>
        {
            if (TemplateCommands.NamesTemplates(parse.GetValue(name), parse.GetValue(templateName), out var template, out var wanted))
            {
                if (template is null)
                {
                    await parse.InvocationConfiguration.Error.WriteLineAsync("error: name the template to describe: describe template <name>");
                    return ExitCodes.Usage;
                }
                return await TemplateCommands.DescribeAsync(parse, specs, template, cancellationToken);
            }
            wanted ??= "";
            var document = await specs.GetAsync(wanted, cancellationToken);
            if (document is null)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: document '{wanted}' not found");
                return ExitCodes.Failure;
            }
            await parse.InvocationConfiguration.Output.WriteAsync(Render(document));
            return ExitCodes.Ok;
        }, cancellationToken));
        return command;
    }

    public static string Render(PulumiPipeline document)
    {
        var text = new StringBuilder();
        var meta = document.Metadata;
        var status = document.Status;
        var view = SpecStatusView.Of(document);
        void Line(string label, object? value) => text.Append(CultureInfo.InvariantCulture, $"{label + ":",-20}{value}\n");
        static string Time(DateTimeOffset? time) => time?.ToString("u", CultureInfo.InvariantCulture) ?? "-";
        static string Map(IReadOnlyDictionary<string, string>? map) =>
            map is { Count: > 0 } ? string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "-";

        Line("Name", meta.Name);
        Line("UID", meta.Uid);
        Line("Generation", status is null ? $"{meta.Generation} (not yet observed)" : $"{meta.Generation} (observed {status.ObservedGeneration})");
        Line("Resource version", meta.ResourceVersion);
        Line("Created", Time(meta.CreationTimestamp));
        if (meta.DeletionTimestamp is not null)
        {
            Line("Deleting since", Time(meta.DeletionTimestamp));
        }
        Line("Labels", Map(meta.Labels));
        Line("Annotations", Map(meta.Annotations));
        Line("Finalizers", meta.Finalizers is { Count: > 0 } f ? string.Join(", ", f) : "-");
        Line("Source", $"{document.Spec.Source.Type} {document.Spec.Source.Location}");
        Line("Drift policy", document.Spec.DriftPolicy);
        Line("Deletion policy", document.Spec.DeletionPolicy);
        text.Append("Stages:\n");
        foreach (var stage in document.Spec.Stages)
        {
            var trigger = stage.On.PullRequest is { } pr ? $"pull request to {pr.BaseBranch}"
                : stage.On.Push is { } push ? $"push to {push.Branch}"
                : stage.On.Tag is { } tag ? $"tag {tag}" : "-";
            text.Append(CultureInfo.InvariantCulture, $"  {stage.Name}: {stage.Operation} {stage.Stack} on {trigger}{(stage.Approval ? " (approval)" : "")}\n");
        }
        Line("Phase", view.Phase);
        text.Append("Conditions:\n");
        if (view.Conditions.Count == 0)
        {
            text.Append("  (none)\n");
        }
        else
        {
            foreach (var condition in view.Conditions)
            {
                text.Append(CultureInfo.InvariantCulture,
                    $"  {condition.Type,-12} {condition.Status,-8} {condition.Reason,-24} since {Time(condition.LastTransitionTime)}  {condition.Message}\n");
            }
        }
        text.Append("Resources:\n");
        if (view.Resources.Count == 0)
        {
            text.Append("  (none)\n");
        }
        else
        {
            foreach (var resource in view.Resources)
            {
                text.Append(CultureInfo.InvariantCulture, $"  {resource.Kind,-20} {resource.Name,-32} {resource.State,-10} {resource.Arn}\n");
            }
        }
        Line("Last apply", view.LastApplySummary is { } applied ? $"{applied}, finished {Time(view.LastApply!.FinishedAt)}" : "-");
        if (status?.NextRetryTime is { } retry)
        {
            Line("Next retry", Time(retry));
        }
        if (status?.NextResyncTime is { } resync)
        {
            Line("Next resync", Time(resync));
        }
        if (status?.SourceRevision is { } revision)
        {
            Line("Source revision", revision);
        }
        return text.ToString();
    }
}
