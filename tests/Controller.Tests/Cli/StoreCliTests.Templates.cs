using Reconciler.Controller.Store;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Cli;

// apply / get / describe / delete of PulumiPipelineTemplates through the real executable, on both stores.
public abstract partial class StoreCliTests
{
    private static string TemplateSample(string file) => File.ReadAllText(Path.Combine(RepositoryPaths.Root, "samples", "templates", file));

    [Fact]
    public async Task Apply_of_a_template_and_its_spec_then_get_and_describe_show_the_template_and_who_uses_it()
    {
        WriteDocument("set/orders.json", TemplateSample("orders.json"));
        WriteDocument("set/standard-service.json", TemplateSample("standard-service.json"));

        var applied = await RunAsync("apply", "-f", Path.Combine(Directory, "set"));
        Assert.Equal(0, applied.ExitCode);
        Assert.Equal(["pulumipipelinetemplate/standard-service created", "pulumipipeline/orders created"], applied.Output.Trim().Split('\n'));

        var table = await RunAsync("get", "templates");
        Assert.Equal(0, table.ExitCode);
        var lines = table.Output.Trim().Split('\n');
        Assert.Equal(["NAME", "GENERATION", "SPECS", "AGE"], lines[0].Split(' ', StringSplitOptions.RemoveEmptyEntries));
        Assert.Equal(["standard-service", "1", "1"], lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries)[..3]);

        var described = await RunAsync("describe", "template", "standard-service");
        Assert.Equal(0, described.ExitCode);
        Assert.Contains("Used by:            1 spec(s): orders", described.Output, StringComparison.Ordinal);
        Assert.Contains("computeType: BUILD_GENERAL1_MEDIUM", described.Output, StringComparison.Ordinal);

        var store = await OpenStoreAsync();
        Assert.Equal("standard-service", (await store.GetAsync("orders", CancellationToken.None))!.Spec.Template);
        Assert.Equal(["standard-service"], (await store.Templates.ListAsync(CancellationToken.None)).Select(t => t.Metadata.Name));
        Assert.Equal(["orders"], (await store.ListAsync(new ListOptions(), CancellationToken.None)).Items.Select(d => d.Metadata.Name));
    }

    [Fact]
    public async Task Deleting_a_template_specs_use_is_refused_with_their_names_unless_forced_and_a_spec_naming_an_unknown_one_is_not_applied()
    {
        WriteDocument("t/standard-service.json", TemplateSample("standard-service.json"));
        Assert.Equal(0, (await RunAsync("apply", "-f", Path.Combine(Directory, "t"))).ExitCode);
        // The spec alone: its template is found in the store.
        var spec = WriteDocument("s/orders.json", TemplateSample("orders.json"));
        Assert.Equal(0, (await RunAsync("apply", "-f", spec)).ExitCode);
        var unknown = WriteDocument("u/billing.json", TemplateSample("orders.json")
            .Replace("\"name\": \"orders\"", "\"name\": \"billing\"", StringComparison.Ordinal)
            .Replace("\"template\": \"standard-service\"", "\"template\": \"standard-servce\"", StringComparison.Ordinal));

        var invalid = await RunAsync("apply", "-f", unknown);
        Assert.Equal(1, invalid.ExitCode);
        Assert.Contains($"{unknown}: $.spec.template: no PulumiPipelineTemplate named \"standard-servce\" is known", invalid.Error, StringComparison.Ordinal);

        var refused = await RunAsync("delete", "template", "standard-service");
        Assert.Equal(1, refused.ExitCode);
        Assert.Contains("template 'standard-service' is used by 1 spec(s): orders; nothing was deleted", refused.Error, StringComparison.Ordinal);
        var store = await OpenStoreAsync();
        Assert.NotNull(await store.Templates.GetAsync("standard-service", CancellationToken.None));
        Assert.Null(await store.GetAsync("billing", CancellationToken.None));

        var forced = await RunAsync("delete", "template/standard-service", "--force");
        Assert.Equal(0, forced.ExitCode);
        Assert.Contains("pulumipipelinetemplate/standard-service deleted (forced; 1 spec(s) now miss it: orders)", forced.Output, StringComparison.Ordinal);
        Assert.Null(await store.Templates.GetAsync("standard-service", CancellationToken.None));
        Assert.NotNull(await store.GetAsync("orders", CancellationToken.None));
    }
}
