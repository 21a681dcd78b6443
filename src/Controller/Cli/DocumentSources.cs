namespace Reconciler.Controller.Cli;

/// <summary>Reads the documents named by <c>-f</c>: a file, every <c>*.json</c> under a directory (sorted, hidden folders skipped), or <c>-</c> for stdin.</summary>
public static class DocumentSources
{
    public const string StandardInput = "-";

    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static async Task<IReadOnlyList<(string Source, string Text)>> ReadAsync(IEnumerable<string> paths, TextReader stdin, CancellationToken cancellationToken)
    {
        var documents = new List<(string, string)>();
        foreach (var path in paths)
        {
            if (path == StandardInput)
            {
                documents.Add(("<stdin>", await stdin.ReadToEndAsync(cancellationToken)));
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                             .Where(file => !IsUnderHiddenFolder(path, file))
                             .Order(StringComparer.Ordinal))
                {
                    documents.Add((file, await File.ReadAllTextAsync(file, cancellationToken)));
                }
            }
            else if (File.Exists(path))
            {
                documents.Add((path, await File.ReadAllTextAsync(path, cancellationToken)));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or directory", path);
            }
        }
        return documents;
    }

    // .git, .github and the like hold tooling files, never spec documents.
    private static bool IsUnderHiddenFolder(string root, string file) =>
        Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(part => part.StartsWith('.'));
}
