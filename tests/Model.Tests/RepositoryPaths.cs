namespace Reconciler.Model.Tests;

/// <summary>Paths inside the repository the tests run from (the directory holding Reconciler.sln).</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string Samples(params string[] parts) => Path.Combine([Root, "samples", .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Reconciler.sln")))
            {
                return dir.FullName;
            }
        }
        throw new InvalidOperationException($"no Reconciler.sln above {AppContext.BaseDirectory}");
    }
}
