namespace Reconciler.Controller.Cli;

/// <summary>Reads the documents named by <c>-f</c>: a file, every <c>*.json</c> under a directory (sorted, hidden folders skipped), or <c>-</c> for stdin.</summary>
public static class DocumentSources
{
    public const string StandardInput = "-";

    /// <summary>
    /// The raw bytes of each document: decoding is left to <see cref="Model.Validation.SpecValidator"/>, which reports
    /// invalid UTF-8 with its byte offset (a text reader would silently turn it into U+FFFD).
    /// </summary>
    /// <exception cref="FileNotFoundException">A path does not exist.</exception>
    public static async Task<IReadOnlyList<(string Source, byte[] Bytes)>> ReadAsync(IEnumerable<string> paths, Func<Stream> stdin, CancellationToken cancellationToken)
    {
        var documents = new List<(string, byte[])>();
        foreach (var path in paths)
        {
            if (path == StandardInput)
            {
                using var buffer = new MemoryStream();
                await using (var input = stdin())
                {
                    await input.CopyToAsync(buffer, cancellationToken);
                }
                documents.Add(("<stdin>", buffer.ToArray()));
            }
            else if (Directory.Exists(path))
            {
                foreach (var file in Directory.EnumerateFiles(path, "*.json", SearchOption.AllDirectories)
                             .Where(file => !IsUnderHiddenFolder(path, file))
                             .Order(StringComparer.Ordinal))
                {
                    documents.Add((file, await File.ReadAllBytesAsync(file, cancellationToken)));
                }
            }
            else if (File.Exists(path))
            {
                documents.Add((path, await File.ReadAllBytesAsync(path, cancellationToken)));
            }
            else
            {
                throw new FileNotFoundException($"{path}: no such file or directory", path);
            }
        }
        return documents;
    }

    /// <summary>Standard input as bytes, for <see cref="ReadAsync"/>.</summary>
    public static Stream OpenStandardInput() => Console.OpenStandardInput();

    // .git, .github and the like hold tooling files, never spec documents.
    private static bool IsUnderHiddenFolder(string root, string file) =>
        Path.GetRelativePath(root, file).Split(Path.DirectorySeparatorChar).SkipLast(1).Any(part => part.StartsWith('.'));
}
