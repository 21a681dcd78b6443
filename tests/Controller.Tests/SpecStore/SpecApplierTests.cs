using Reconciler.Controller.Store;
using Reconciler.Model.Documents;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.SpecStore;

/// <summary>The one way documents are written, on a real SQLite store: whole-set validation, outcomes, generation, preconditions.</summary>
public sealed class SpecApplierTests : IAsyncLifetime
{
    private readonly string _directory = Directory.CreateTempSubdirectory("spec-applier-").FullName;
    private SqliteSpecStore _store = null!;

    public async Task InitializeAsync() =>
        _store = await SqliteSpecStore.OpenAsync(new SqliteStoreOptions { Path = Path.Combine(_directory, "specs.db") });

    public async Task DisposeAsync()
    {
        await _store.DisposeAsync();
        Directory.Delete(_directory, recursive: true);
    }

    private static (string Source, string Text) SampleSource(string file)
    {
        var path = RepositoryPaths.Combine("samples", "specs", file);
        return (path, File.ReadAllText(path));
    }

    private async Task<List<SpecApplyResult>> ApplyAsync(SpecSet set, SpecApplyOptions? options = null)
    {
        var results = new List<SpecApplyResult>();
        await foreach (var result in new SpecApplier(_store).ApplyAsync(set, options, CancellationToken.None))
        {
            results.Add(result);
        }
        return results;
    }

    [Fact]
    public async Task A_set_is_created_then_left_unchanged_then_configured_with_generation_bumped_only_for_a_spec_change()
    {
        var set = SpecSet.Validate([SampleSource("website.json"), SampleSource("payments-pipeline.json")]);
        Assert.True(set.IsValid, string.Join("; ", set.Problems));

        Assert.Equal([new("website", SpecApplyResult.Created), new("payments", SpecApplyResult.Created)], await ApplyAsync(set));
        Assert.Equal([new("website", SpecApplyResult.Unchanged), new("payments", SpecApplyResult.Unchanged)], await ApplyAsync(set));
        var before = (await _store.GetAsync("website", CancellationToken.None))!;

        var changed = set with { Documents = [set.Documents[0] with { Spec = set.Documents[0].Spec with { DriftPolicy = DriftPolicies.Detect } }] };
        Assert.Equal([new SpecApplyResult("website", SpecApplyResult.Configured)], await ApplyAsync(changed));

        var after = (await _store.GetAsync("website", CancellationToken.None))!;
        Assert.Equal(before.Metadata.Generation + 1, after.Metadata.Generation);
        Assert.Equal(before.Metadata.Uid, after.Metadata.Uid);
        Assert.Equal(DriftPolicies.Detect, after.Spec.DriftPolicy);
    }

    [Fact]
    public async Task A_dry_run_decides_every_outcome_and_writes_nothing()
    {
        var set = SpecSet.Validate([SampleSource("website.json")]);

        var results = await ApplyAsync(set, new SpecApplyOptions { DryRun = true });

        Assert.Equal([new SpecApplyResult("website", SpecApplyResult.Created)], results);
        Assert.Null(await _store.GetAsync("website", CancellationToken.None));
    }

    [Fact]
    public async Task A_set_with_one_invalid_document_or_a_name_declared_twice_is_refused_whole_and_writes_nothing()
    {
        var website = SampleSource("website.json");
        var broken = ("broken.json", website.Text.Replace("\"driftPolicy\": \"Correct\"", "\"driftPolicy\": \"Sometimes\"", StringComparison.Ordinal));
        var invalid = SpecSet.Validate([SampleSource("payments-pipeline.json"), broken]);
        var twice = SpecSet.Validate([website, ("copy.json", website.Text)]);

        Assert.False(invalid.IsValid);
        Assert.Contains(invalid.Problems, p => p.StartsWith("broken.json: $.spec.driftPolicy", StringComparison.Ordinal));
        Assert.Equal("1 problem(s) in 1 of 2 document(s)", invalid.Summary);
        Assert.Contains(twice.Problems, p => p.EndsWith("$.metadata.name: 'website' is declared more than once", StringComparison.Ordinal));
        await Assert.ThrowsAsync<ArgumentException>(() => ApplyAsync(invalid));
        Assert.Null(await _store.GetAsync("payments", CancellationToken.None));
    }

    [Fact]
    public async Task A_refused_precondition_is_a_conflict_that_stops_before_writing_that_document()
    {
        var set = SpecSet.Validate([SampleSource("payments-pipeline.json"), SampleSource("website.json")]);
        var options = new SpecApplyOptions { Precondition = (current, incoming) => incoming.Metadata.Name == "website" ? "owned by another source" : null };

        var error = await Assert.ThrowsAsync<StoreConflictException>(() => ApplyAsync(set, options));

        Assert.Equal("website: owned by another source", error.Message);
        Assert.NotNull(await _store.GetAsync("payments", CancellationToken.None));
        Assert.Null(await _store.GetAsync("website", CancellationToken.None));
    }
}
