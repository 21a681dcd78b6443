using System.Security.Cryptography;
using System.Text;
using LibGit2Sharp;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Sync;

/// <summary>
/// Bare clones of config repositories in a cache folder (one per repository URL), fetched before each sync, and the
/// synced directory of a revision extracted from git objects into a folder of its own (no working tree, no checkout state).
/// </summary>
public sealed class GitRepositoryCache
{
    private static readonly string[] RefSpecs = ["+refs/heads/*:refs/remotes/origin/*", "+refs/tags/*:refs/tags/*"];

    private readonly string _root;
    private readonly GitCredentials _credentials;
    private readonly ILogger _logger;
    private readonly SemaphoreSlim _gate = new(1, 1);

    public GitRepositoryCache(string root, GitCredentials credentials, ILogger logger)
    {
        _root = Path.GetFullPath(root);
        _credentials = credentials;
        _logger = logger;
    }

    /// <summary>Fetches the repository (cloning it the first time) and resolves <see cref="GitSource.Ref"/> to a commit id.</summary>
    public async Task<string> FetchAsync(GitSource source, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Fetch(source, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>The folder holding <see cref="GitSource.Path"/> as of <paramref name="revision"/> (already fetched); extracted once per revision.</summary>
    public async Task<string> CheckoutAsync(GitSource source, string revision, CancellationToken cancellationToken)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await Task.Run(() => Checkout(source, revision, cancellationToken), cancellationToken);
        }
        finally
        {
            _gate.Release();
        }
    }

    private string Fetch(GitSource source, CancellationToken cancellationToken)
    {
        var folder = RepositoryFolder(source);
        try
        {
            if (!Repository.IsValid(folder))
            {
                Directory.CreateDirectory(folder);
                Repository.Init(folder, isBare: true);
                using var created = new Repository(folder);
                created.Network.Remotes.Add("origin", RemoteUrl(source));
            }
            using var repository = new Repository(folder);
            var options = new FetchOptions
            {
                CredentialsProvider = _credentials.Handler,
                Prune = true,
                TagFetchMode = TagFetchMode.None,
                OnTransferProgress = _ => !cancellationToken.IsCancellationRequested,
            };
            Commands.Fetch(repository, "origin", RefSpecs, options, logMessage: null);
            cancellationToken.ThrowIfCancellationRequested();
            var commit = Resolve(repository, source.Ref)
                ?? throw new GitSourceException($"{source.RedactedRepository}: ref '{source.Ref}' is no branch, tag or commit of the repository");
            _logger.LogDebug("fetched {Repository}: {Ref} is {Revision}", source.RedactedRepository, source.Ref, commit.Sha);
            return commit.Sha;
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException($"{source.RedactedRepository}: fetch failed: {Redact(e.Message, source)}", e);
        }
    }

    private string Checkout(GitSource source, string revision, CancellationToken cancellationToken)
    {
        var revisions = Path.Combine(Path.GetDirectoryName(RepositoryFolder(source))!, "revisions");
        var target = Path.Combine(revisions, revision);
        var directory = source.NormalizedPath.Length == 0 ? target : Path.Combine(target, source.NormalizedPath);
        if (Directory.Exists(target))
        {
            return directory;
        }
        try
        {
            using var repository = new Repository(RepositoryFolder(source));
            var commit = repository.Lookup<Commit>(revision)
                ?? throw new GitSourceException($"{source.RedactedRepository}: revision {revision} is not in the fetched repository");
            // Extract beside the target, then move it in: a folder under revisions/ is always complete.
            var staging = target + ".partial-" + Guid.NewGuid().ToString("N");
            Directory.CreateDirectory(staging);
            var tree = source.NormalizedPath.Length == 0 ? commit.Tree : commit[source.NormalizedPath]?.Target as Tree;
            if (tree is not null)
            {
                Extract(tree, source.NormalizedPath.Length == 0 ? staging : Path.Combine(staging, source.NormalizedPath), cancellationToken);
            }
            try
            {
                Directory.Move(staging, target);
            }
            catch (IOException) when (Directory.Exists(target))
            {
                // Another process sharing the cache extracted the same revision first: the same content.
                Directory.Delete(staging, recursive: true);
            }
            Prune(revisions, keep: target);
            return directory;
        }
        catch (LibGit2SharpException e)
        {
            throw new GitSourceException($"{source.RedactedRepository}: reading revision {revision} failed: {Redact(e.Message, source)}", e);
        }
    }

    private static void Extract(Tree tree, string folder, CancellationToken cancellationToken)
    {
        Directory.CreateDirectory(folder);
        foreach (var entry in tree)
        {
            cancellationToken.ThrowIfCancellationRequested();
            switch (entry.Target)
            {
                case Tree child:
                    Extract(child, Path.Combine(folder, entry.Name), cancellationToken);
                    break;
                case Blob blob when entry.Mode is Mode.NonExecutableFile or Mode.ExecutableFile or Mode.NonExecutableGroupWritableFile:
                    using (var content = blob.GetContentStream())
                    using (var file = File.Create(Path.Combine(folder, entry.Name)))
                    {
                        content.CopyTo(file);
                    }
                    break;
            }
        }
    }

    // Extracted revisions are cheap to recreate; keep the newest few for a resumed or repeated sync.
    private static void Prune(string revisions, string keep)
    {
        foreach (var old in new DirectoryInfo(revisions).EnumerateDirectories()
                     .Where(d => d.FullName != keep)
                     .OrderByDescending(d => d.CreationTimeUtc)
                     .Skip(2))
        {
            try
            {
                old.Delete(recursive: true);
            }
            catch (IOException)
            {
                // Another process may be reading it; the next sync retries.
            }
        }
    }

    private static Commit? Resolve(Repository repository, string reference)
    {
        foreach (var name in new[] { $"refs/remotes/origin/{reference}", $"refs/tags/{reference}" })
        {
            if (repository.Refs[name] is { } found && found.ResolveToDirectReference()?.Target?.Peel<Commit>() is { } commit)
            {
                return commit;
            }
        }
        if (reference.StartsWith("refs/heads/", StringComparison.Ordinal)
            && repository.Refs["refs/remotes/origin/" + reference["refs/heads/".Length..]] is { } branch)
        {
            return branch.ResolveToDirectReference()?.Target?.Peel<Commit>();
        }
        if (reference.StartsWith("refs/tags/", StringComparison.Ordinal) && repository.Refs[reference] is { } tag)
        {
            return tag.ResolveToDirectReference()?.Target?.Peel<Commit>();
        }
        if (reference.Length is >= 4 and <= 40 && reference.All(char.IsAsciiHexDigit))
        {
            try
            {
                return repository.Lookup<Commit>(reference);
            }
            catch (AmbiguousSpecificationException)
            {
                return null;
            }
        }
        return null;
    }

    private string RepositoryFolder(GitSource source)
    {
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(RemoteUrl(source))))[..16];
        return Path.Combine(_root, key, "repo.git");
    }

    // A local folder is fetched by its absolute path; URLs (https, ssh, file://) as given.
    private static string RemoteUrl(GitSource source) =>
        Directory.Exists(source.Repository) ? Path.GetFullPath(source.Repository) : source.Repository;

    private static string Redact(string message, GitSource source) =>
        source.Repository == source.RedactedRepository ? message : message.Replace(source.Repository, source.RedactedRepository, StringComparison.Ordinal);
}
