using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Model.Serialization;

namespace Reconciler.Controller.Cli;

/// <summary>
/// What <c>get</c>, <c>describe</c> and <c>delete</c> do for PulumiPipelineTemplates, named as kubectl names kinds:
/// <c>get templates</c>, <c>get template &lt;name&gt;</c>, <c>describe template &lt;name&gt;</c>,
/// <c>delete template &lt;name&gt; [--force]</c> (or <c>template/&lt;name&gt;</c>; <c>pulumipipeline/&lt;name&gt;</c> reaches a spec of any name).
/// </summary>
public static class TemplateCommands
{
    private static readonly string[] KindWords = ["template", "templates", "pulumipipelinetemplate", "pulumipipelinetemplates"];

    /// <summary>Whether the arguments name templates, and which one (null: all). A spec is named by a bare name or <c>pulumipipeline/&lt;name&gt;</c>.</summary>
    public static bool NamesTemplates(string? first, string? second, out string? name, out string? specName)
    {
        specName = first;
        name = null;
        if (first is null)
        {
            return false;
        }
        var slash = first.IndexOf('/', StringComparison.Ordinal);
        var kind = slash < 0 ? first : first[..slash];
        if (slash >= 0 && kind.Equals("pulumipipeline", StringComparison.OrdinalIgnoreCase))
        {
            specName = first[(slash + 1)..];
            return false;
        }
        if (!KindWords.Contains(kind, StringComparer.OrdinalIgnoreCase))
        {
            return false;
        }
        name = slash >= 0 ? first[(slash + 1)..] : second;
        return true;
    }

    public static string Json(PulumiPipelineTemplate template) => JsonSerializer.Serialize(template, ModelJsonContext.Default.PulumiPipelineTemplate);

    public static string Yaml(PulumiPipelineTemplate template) => JsonToYaml.Convert(JsonNode.Parse(Json(template)));

    /// <summary>The specs that name <paramref name="template"/>, by name.</summary>
    public static async Task<List<string>> DependentsAsync(ISpecStore specs, string template, CancellationToken cancellationToken) =>
        [.. (await GetCommand.ListAllAsync(specs, null, cancellationToken)).Where(d => d.Spec.Template == template).Select(d => d.Metadata.Name)];

    public static async Task<int> GetAsync(ParseResult parse, ISpecStore specs, string? name, string format, CancellationToken cancellationToken)
    {
        List<PulumiPipelineTemplate> templates;
        if (name is not null)
        {
            if (await specs.Templates.GetAsync(name, cancellationToken) is not { } template)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync($"error: template '{name}' not found");
                return ExitCodes.Failure;
            }
            templates = [template];
        }
        else
        {
            templates = [.. await specs.Templates.ListAsync(cancellationToken)];
        }
        var text = format switch
        {
            "json" => (name is null ? "[" + string.Join(",", templates.Select(Json)) + "]" : Json(templates[0])) + "\n",
            "yaml" => string.Join("---\n", templates.Select(Yaml)),
            _ => await TableAsync(specs, templates, cancellationToken),
        };
        await parse.InvocationConfiguration.Output.WriteAsync(text);
        return ExitCodes.Ok;
    }

    public static async Task<int> DescribeAsync(ParseResult parse, ISpecStore specs, string name, CancellationToken cancellationToken)
    {
        if (await specs.Templates.GetAsync(name, cancellationToken) is not { } template)
        {
            await parse.InvocationConfiguration.Error.WriteLineAsync($"error: template '{name}' not found");
            return ExitCodes.Failure;
        }
        var used = await DependentsAsync(specs, name, cancellationToken);
        var text = new StringBuilder();
        var meta = template.Metadata;
        void Line(string label, object? value) => text.Append(CultureInfo.InvariantCulture, $"{label + ":",-20}{value}\n");
        static string Map(IReadOnlyDictionary<string, string>? map) =>
            map is { Count: > 0 } ? string.Join(", ", map.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}={p.Value}")) : "-";
        Line("Name", meta.Name);
        Line("Kind", PulumiPipelineTemplate.KindName);
        Line("UID", meta.Uid);
        Line("Generation", meta.Generation);
        Line("Resource version", meta.ResourceVersion);
        Line("Created", meta.CreationTimestamp?.ToString("u", CultureInfo.InvariantCulture) ?? "-");
        Line("Labels", Map(meta.Labels));
        Line("Annotations", Map(meta.Annotations));
        Line("Used by", used.Count == 0 ? "(no spec)" : $"{used.Count} spec(s): {string.Join(", ", used)}");
        text.Append("Spec:\n");
        text.Append(JsonToYaml.Convert(template.Spec).Split('\n').Where(l => l.Length > 0).Aggregate(new StringBuilder(), (b, l) => b.Append("  ").Append(l).Append('\n')));
        await parse.InvocationConfiguration.Output.WriteAsync(text.ToString());
        return ExitCodes.Ok;
    }

    /// <summary>Deletes a template no spec names; one in use is refused with the specs' names (nothing written) unless forced.</summary>
    public static async Task<int> DeleteAsync(ParseResult parse, ISpecStore specs, string name, bool force, CancellationToken cancellationToken)
    {
        var output = parse.InvocationConfiguration.Output;
        var error = parse.InvocationConfiguration.Error;
        if (await specs.Templates.GetAsync(name, cancellationToken) is not { } template)
        {
            await error.WriteLineAsync($"error: template '{name}' not found");
            return ExitCodes.Failure;
        }
        var used = await DependentsAsync(specs, name, cancellationToken);
        if (used.Count > 0 && !force)
        {
            await error.WriteLineAsync(
                $"error: template '{name}' is used by {used.Count} spec(s): {string.Join(", ", used)}; nothing was deleted. " +
                "Point them at another template or delete them first; --force deletes it anyway (they become Stalled, MissingTemplate)");
            return ExitCodes.Failure;
        }
        try
        {
            await specs.Templates.DeleteAsync(name, template.Metadata.ResourceVersion, cancellationToken);
        }
        catch (StoreConflictException e)
        {
            await error.WriteLineAsync($"error: conflict: {e.Message}");
            return ExitCodes.Failure;
        }
        await output.WriteLineAsync(used.Count > 0
            ? $"pulumipipelinetemplate/{name} deleted (forced; {used.Count} spec(s) now miss it: {string.Join(", ", used)})"
            : $"pulumipipelinetemplate/{name} deleted");
        return ExitCodes.Ok;
    }

    private static async Task<string> TableAsync(ISpecStore specs, IReadOnlyList<PulumiPipelineTemplate> templates, CancellationToken cancellationToken)
    {
        var all = templates.Count == 0 ? [] : await GetCommand.ListAllAsync(specs, null, cancellationToken);
        var now = TimeProvider.System.GetUtcNow();
        var rows = new List<string[]> { new[] { "NAME", "GENERATION", "SPECS", "AGE" } };
        rows.AddRange(templates.Select(t => new[]
        {
            t.Metadata.Name,
            t.Metadata.Generation.ToString(CultureInfo.InvariantCulture),
            all.Count(d => d.Spec.Template == t.Metadata.Name).ToString(CultureInfo.InvariantCulture),
            GetCommand.Age(t.Metadata.CreationTimestamp, now),
        }));
        var widths = Enumerable.Range(0, rows[0].Length).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return string.Concat(rows.Select(r => string.Join("  ", r.Select((cell, i) => cell.PadRight(widths[i]))).TrimEnd() + "\n"));
    }
}
