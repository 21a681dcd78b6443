namespace Reconciler.Tests.Shared;

/// <summary>Finds files of the repository from a test's output folder: the root is where Reconciler.sln is.</summary>
internal static class RepoPaths
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

    /// <summary>The official AWS API models: a copy in the repository if there is one, else the shared folder beside it.</summary>
    public static string AwsModel(string fileName)
    {
        foreach (var candidate in new[] { Combine("aws-models", fileName), Combine("tests", "aws-models", fileName) })
        {
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }
        for (var dir = new DirectoryInfo(Root); dir is not null; dir = dir.Parent)
        {
            var shared = Path.Combine(dir.FullName, "shared", "aws-models", fileName);
            if (File.Exists(shared))
            {
                return shared;
            }
        }
        throw new FileNotFoundException($"AWS model {fileName} not found in the repository or a shared/aws-models folder above it");
    }
}
