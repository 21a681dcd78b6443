namespace Reconciler.Tests.Shared;

/// <summary>Paths inside the repository the tests run from (the directory holding Reconciler.sln); linked into every test project.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reconciler.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Reconciler.sln above {AppContext.BaseDirectory}");
    });

    public static string Root => LazyRoot.Value;

    public static string Combine(params string[] parts) => Path.Combine([Root, .. parts]);

    public static string Samples(params string[] parts) => Path.Combine([Root, "samples", .. parts]);
}
