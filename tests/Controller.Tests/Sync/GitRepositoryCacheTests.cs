using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Sync;

namespace Reconciler.Controller.Tests.Sync;

public sealed class GitRepositoryCacheTests : IDisposable
{
    private readonly ConfigRepository _repo = new();
    private readonly string _cacheFolder = Path.Combine(Path.GetTempPath(), "reconciler-cache-" + Guid.NewGuid().ToString("N"));
    private readonly GitRepositoryCache _cache;

    public GitRepositoryCacheTests() => _cache = new GitRepositoryCache(_cacheFolder, GitCredentials.None, NullLogger.Instance);

    public void Dispose()
    {
        _repo.Dispose();
        ConfigRepository.DeleteFolder(_cacheFolder);
    }

    [Fact]
    public async Task Branch_tag_and_commit_resolve_and_a_branch_move_is_seen_on_the_next_fetch()
    {
        _repo.Write("specs/a.json", SyncDocuments.Json("a"));
        var first = _repo.Commit("first");
        _repo.Tag("v1", first);
        _repo.Write("specs/b.json", SyncDocuments.Json("b"));
        var second = _repo.Commit("second");

        Assert.Equal(second, await _cache.FetchAsync(new GitSource(_repo.Folder, _repo.Branch, "specs"), CancellationToken.None));
        Assert.Equal(first, await _cache.FetchAsync(new GitSource(_repo.Folder, "v1", "specs"), CancellationToken.None));
        Assert.Equal(first, await _cache.FetchAsync(new GitSource(_repo.Folder, first[..10], "specs"), CancellationToken.None));

        var source = new GitSource(_repo.FileUrl, _repo.Branch, "specs");
        Assert.Equal(second, await _cache.FetchAsync(source, CancellationToken.None));
        var atFirst = await _cache.CheckoutAsync(source, first, CancellationToken.None);
        Assert.Equal(["a.json"], Directory.GetFiles(atFirst).Select(Path.GetFileName));
        var atSecond = await _cache.CheckoutAsync(source, second, CancellationToken.None);
        Assert.Equal(["a.json", "b.json"], Directory.GetFiles(atSecond).Select(Path.GetFileName).Order());

        // A force-push: the branch goes back to the first commit, and a new commit deletes a file.
        _repo.ResetHard(first);
        _repo.Delete("specs/a.json");
        _repo.Write("specs/c.yaml", SyncDocuments.Yaml("c"));
        var rewritten = _repo.Commit("rewritten");
        Assert.Equal(rewritten, await _cache.FetchAsync(source, CancellationToken.None));
        Assert.Equal(["c.yaml"], Directory.GetFiles(await _cache.CheckoutAsync(source, rewritten, CancellationToken.None)).Select(Path.GetFileName));
    }

    [Fact]
    public async Task An_unknown_ref_or_repository_is_an_error_that_names_it()
    {
        _repo.Write("a.json", SyncDocuments.Json("a"));
        _repo.Commit("first");

        var noRef = await Assert.ThrowsAsync<GitSourceException>(() => _cache.FetchAsync(new GitSource(_repo.Folder, "no-such-branch", ""), CancellationToken.None));
        Assert.Contains("'no-such-branch'", noRef.Message, StringComparison.Ordinal);
        var missing = Path.Combine(Path.GetTempPath(), "no-such-repo-" + Guid.NewGuid().ToString("N"));
        await Assert.ThrowsAsync<GitSourceException>(() => _cache.FetchAsync(new GitSource(missing, "main", ""), CancellationToken.None));
    }

    [Fact]
    public void A_token_in_a_repository_url_never_reaches_the_source_id()
    {
        var source = new GitSource("https://user:s3cret-token@git.example.invalid/acme/config.git", "main", "./specs/");
        Assert.Equal("https://git.example.invalid/acme/config.git//specs", source.Id);
        Assert.DoesNotContain("s3cret", source.Id, StringComparison.Ordinal);
    }
}
