using LibGit2Sharp;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>A real git repository in a temporary folder, with a working tree the tests write, commit, tag and rewrite.</summary>
internal sealed class ConfigRepository : IDisposable
{
    private static readonly Signature Author = new("test", "test@example.invalid", new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public ConfigRepository()
    {
        Folder = Path.Combine(Path.GetTempPath(), "reconciler-config-" + Guid.NewGuid().ToString("N"));
        Repository.Init(Folder, isBare: false);
        Git = new Repository(Folder);
    }

    public string Folder { get; }

    public Repository Git { get; }

    public string FileUrl => new Uri(Folder).AbsoluteUri;

    public void Write(string file, string text)
    {
        var path = Path.Combine(Folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }

    public void Delete(string file) => Commands.Remove(Git, file);

    public void Move(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(Path.Combine(Folder, to))!);
        Commands.Move(Git, from, to);
    }

    /// <summary>Stages everything (deletions too) and commits on the current branch; returns the commit id.</summary>
    public string Commit(string message)
    {
        Commands.Stage(Git, "*");
        return Git.Commit(message, Author, Author, new CommitOptions { AllowEmptyCommit = true }).Sha;
    }

    public void Tag(string name, string revision) => Git.Tags.Add(name, revision, Author, "tag " + name, allowOverwrite: true);

    /// <summary>Moves the current branch to <paramref name="revision"/> as a force-push would, dropping later commits.</summary>
    public void ResetHard(string revision) => Git.Reset(ResetMode.Hard, Git.Lookup<Commit>(revision));

    public string Branch => Git.Head.FriendlyName;

    public void Dispose()
    {
        Git.Dispose();
        DeleteFolder(Folder);
    }

    public static void DeleteFolder(string folder)
    {
        if (!Directory.Exists(folder))
        {
            return;
        }
        // git writes its objects read-only.
        foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories))
        {
            File.SetAttributes(file, FileAttributes.Normal);
        }
        Directory.Delete(folder, recursive: true);
    }
}
