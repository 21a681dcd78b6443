namespace Reconciler.Controller.Sync;

/// <summary>What a sync follows: a repository (URL, <c>file://</c> or local path), a ref (branch, tag or commit) and a directory in it.</summary>
public sealed record GitSource(string Repository, string Ref, string Path)
{
    /// <summary>The source as written in ownership annotations and the sync status: user info stripped from URLs, the path normalised.</summary>
    public string Id => $"{RedactedRepository}//{NormalizedPath}";

    public string NormalizedPath => string.Join('/', Path.Replace('\\', '/').Split('/', StringSplitOptions.RemoveEmptyEntries).Where(p => p != "."));

    /// <summary>The repository without any user info (a token in a URL must never reach a log, status or annotation).</summary>
    public string RedactedRepository =>
        Uri.TryCreate(Repository, UriKind.Absolute, out var uri) && !uri.IsFile && uri.UserInfo.Length > 0
            ? new UriBuilder(uri) { UserName = "", Password = "" }.Uri.ToString().TrimEnd('/')
            : Repository;
}
