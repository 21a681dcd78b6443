namespace Reconciler.Controller.Cli;

/// <summary>The sample spec documents of <c>samples/specs</c>, embedded in the binary for <c>reconciler demo</c>.</summary>
public static class BundledSamples
{
    private const string Prefix = "samples/specs/";

    /// <summary>Each sample as (source name, JSON text), in name order.</summary>
    public static IReadOnlyList<(string Source, string Text)> Read()
    {
        var assembly = typeof(BundledSamples).Assembly;
        return assembly.GetManifestResourceNames()
            .Where(n => n.StartsWith(Prefix, StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .Select(name =>
            {
                using var stream = assembly.GetManifestResourceStream(name)!;
                using var reader = new StreamReader(stream);
                return (name, reader.ReadToEnd());
            })
            .ToList();
    }
}
