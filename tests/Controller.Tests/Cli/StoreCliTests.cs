using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using static Reconciler.Controller.Tests.SpecStore.TestDocuments;

namespace Reconciler.Controller.Tests.Cli;

/// <summary>
/// apply / get / describe / delete through the real executable, against a store the test also opens directly
/// to check what was (not) written. Each store's test class says only how to point both at the same store.
/// </summary>
public abstract partial class StoreCliTests : IAsyncLifetime
{
    private static readonly CancellationToken Ct = CancellationToken.None;
    protected readonly string Directory = System.IO.Directory.CreateTempSubdirectory("reconciler-cli-").FullName;

    /// <summary>The <c>--store</c> (and endpoint) arguments that select this test's store.</summary>
    protected abstract IReadOnlyList<string> StoreArguments { get; }

    protected virtual IReadOnlyDictionary<string, string>? Environment => null;

    protected abstract Task<ISpecStore> OpenStoreAsync();

    public virtual Task InitializeAsync() => Task.CompletedTask;

    public virtual Task DisposeAsync()
    {
        System.IO.Directory.Delete(Directory, recursive: true);
        return Task.CompletedTask;
    }

    protected Task<ProcessResult> RunAsync(params string[] args) =>
        ReconcilerProcess.RunAsync([.. args, .. StoreArguments], Environment, Directory);

    protected string WriteDocument(string relativePath, string json)
    {
        var path = Path.Combine(Directory, relativePath);
        System.IO.Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, json);
        return path;
    }

    protected static string Sample(string name, string branch = "main") => DocumentJson(Pipeline(name, new Dictionary<string, string> { ["team"] = "web" }, branch));

    private static string DocumentJson(PulumiPipeline document) => Reconciler.Controller.Cli.DocumentOutput.Json(document);

    [Fact]
    public async Task Apply_of_a_directory_with_one_invalid_document_exits_1_names_it_and_writes_nothing()
    {
        WriteDocument("specs/a-website.json", Sample("website"));
        var bad = WriteDocument("specs/b-broken.json", Sample("broken").Replace("\"name\": \"broken\"", "\"name\": \"Not_A_Label\"", StringComparison.Ordinal));
        WriteDocument("specs/nested/c-payments.json", Sample("payments"));

        var result = await RunAsync("apply", "-f", Path.Combine(Directory, "specs"));

        Assert.Equal(1, result.ExitCode);
        Assert.Contains(bad, result.Error, StringComparison.Ordinal);
        Assert.Contains("$.metadata.name", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("website", result.Error, StringComparison.Ordinal);
        var store = await OpenStoreAsync();
        Assert.Empty((await store.ListAsync(new ListOptions(), Ct)).Items);
    }

    [Fact]
    public async Task Apply_of_a_document_with_invalid_UTF8_exits_1_with_the_byte_offset_and_writes_nothing()
    {
        var text = Sample("website");
        var at = text.IndexOf("\"team\": \"web\"", StringComparison.Ordinal) + "\"team\": \"w".Length;
        var bytes = System.Text.Encoding.UTF8.GetBytes(text[..at]).Concat(new byte[] { 0xC3, 0x28 }).Concat(System.Text.Encoding.UTF8.GetBytes(text[at..])).ToArray();
        var path = Path.Combine(Directory, "latin1.json");
        await File.WriteAllBytesAsync(path, bytes);

        var result = await RunAsync("apply", "-f", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{path}: $: invalid UTF-8 at byte offset {System.Text.Encoding.UTF8.GetByteCount(text[..at])}: 0xC3 is not a UTF-8 sequence", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Error, StringComparison.Ordinal);
        var store = await OpenStoreAsync();
        Assert.Empty((await store.ListAsync(new ListOptions(), Ct)).Items);
    }

    [Fact]
    public async Task Apply_of_a_spec_whose_derived_project_name_another_spec_derives_exits_1_naming_both_and_writes_nothing()
    {
        var web = Pipeline("web");
        web = web with { Spec = web.Spec with { Stages = [web.Spec.Stages[0] with { Name = "prod-deploy" }] } };
        var webProd = Pipeline("web-prod");
        webProd = webProd with { Spec = webProd.Spec with { Stages = [webProd.Spec.Stages[0] with { Name = "deploy" }] } };
        Assert.Equal(0, (await RunAsync("apply", "-f", WriteDocument("web.json", DocumentJson(web)))).ExitCode);
        var path = WriteDocument("web-prod.json", DocumentJson(webProd));

        var result = await RunAsync("apply", "-f", path);

        Assert.Equal(1, result.ExitCode);
        Assert.Contains($"{path}: $.spec.stages[0].name: CodeBuild project name \"web-prod-deploy\" (spec web-prod, stage deploy) is also derived by spec web (stage prod-deploy)", result.Error, StringComparison.Ordinal);
        Assert.Contains("nothing was applied", result.Error, StringComparison.Ordinal);
        var store = await OpenStoreAsync();
        Assert.Null(await store.GetAsync("web-prod", Ct));
    }

    [Fact]
    public async Task Apply_creates_then_configures_keeping_status_and_dry_run_writes_nothing()
    {
        var website = WriteDocument("website.json", Sample("website"));
        var first = await RunAsync("apply", "-f", website);
        Assert.True(first.ExitCode == 0, first.ToString());
        Assert.Contains("pulumipipeline/website created", first.Output, StringComparison.Ordinal);

        var store = await OpenStoreAsync();
        var created = (await store.GetAsync("website", Ct))!;
        await store.UpdateStatusAsync("website", created.Metadata.ResourceVersion!, Status("Ready", 1), Ct);

        var same = await RunAsync("apply", "-f", website);
        Assert.Contains("pulumipipeline/website unchanged", same.Output, StringComparison.Ordinal);

        WriteDocument("website.json", Sample("website", branch: "trunk"));
        var dry = await RunAsync("apply", "-f", website, "--dry-run");
        Assert.True(dry.ExitCode == 0, dry.ToString());
        Assert.Contains("pulumipipeline/website configured (dry run)", dry.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await store.GetAsync("website", Ct))!.Metadata.Generation);

        var applied = await RunAsync("apply", "-f", website);
        Assert.Contains("pulumipipeline/website configured", applied.Output, StringComparison.Ordinal);
        var updated = (await store.GetAsync("website", Ct))!;
        Assert.Equal(2, updated.Metadata.Generation);
        Assert.Equal(created.Metadata.Uid, updated.Metadata.Uid);
        Assert.Equal("Ready", updated.Status!.Phase);
        Assert.Equal("trunk", updated.Spec.Stages[0].On.Push!.Branch);
    }

    [Fact]
    public async Task Get_describe_and_delete_with_wait_show_and_remove_a_document()
    {
        var store = await OpenStoreAsync();
        var doc = await store.CreateAsync(Pipeline("website", new Dictionary<string, string> { ["team"] = "web" }) with
        {
            Metadata = new ObjectMeta { Name = "website", Finalizers = ["reconciler/cleanup"] },
        }, Ct);
        await store.UpdateStatusAsync("website", doc.Metadata.ResourceVersion!, new PipelineStatus
        {
            Phase = "Ready",
            ObservedGeneration = 1,
            Conditions = [new Condition { Type = ConditionTypes.Ready, Status = ConditionStatus.True, Reason = "Converged", Message = "in sync" }],
            Resources = [new ResourceStatus { Kind = "CodeBuildProject", Name = "website-staging", State = "InSync" }],
        }, Ct);

        var table = await RunAsync("get");
        Assert.True(table.ExitCode == 0, table.ToString());
        Assert.Matches(@"website\s+1\s+1\s+Ready\s+True", table.Output);
        var yaml = await RunAsync("get", "website", "-o", "yaml");
        Assert.Contains("name: website", yaml.Output, StringComparison.Ordinal);
        Assert.Contains("resourceVersion: \"2\"", yaml.Output, StringComparison.Ordinal);
        var described = await RunAsync("describe", "website");
        Assert.Contains("Converged", described.Output, StringComparison.Ordinal);
        Assert.Contains("website-staging", described.Output, StringComparison.Ordinal);
        Assert.Equal(1, (await RunAsync("describe", "missing")).ExitCode);

        // delete --wait returns once the controller (here: the test) removes the last finalizer.
        var deleting = RunAsync("delete", "website", "--wait");
        PulumiPipeline? marked;
        while ((marked = await store.GetAsync("website", Ct))?.Metadata.DeletionTimestamp is null)
        {
            Assert.False(deleting.IsCompleted, deleting.IsCompleted ? (await deleting).ToString() : "");
            await Task.Delay(50);
        }
        await store.UpdateFinalizersAsync("website", marked!.Metadata.ResourceVersion!, [], Ct);
        var deleted = await deleting;
        Assert.True(deleted.ExitCode == 0, deleted.ToString());
        Assert.Contains("pulumipipeline/website deleted", deleted.Output, StringComparison.Ordinal);
        Assert.Null(await store.GetAsync("website", Ct));
    }
}
