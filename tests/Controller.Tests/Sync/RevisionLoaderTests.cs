using Reconciler.Controller.Sync;

namespace Reconciler.Controller.Tests.Sync;

public sealed class RevisionLoaderTests : IDisposable
{
    private readonly string _folder = Path.Combine(Path.GetTempPath(), "reconciler-load-" + Guid.NewGuid().ToString("N"));

    public RevisionLoaderTests() => Directory.CreateDirectory(_folder);

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    [Fact]
    public async Task Json_yaml_and_a_yaml_stream_are_read_in_path_order_with_their_lines()
    {
        Write("a.json", SyncDocuments.Json("alpha"));
        Write("team/b.yaml", SyncDocuments.Yaml("bravo") + "---\n" + SyncDocuments.Yaml("charlie") + "---\n");
        Write("team/c.yml", SyncDocuments.Yaml("delta"));
        Write("README.md", "not a document");
        Write(".github/workflow.yaml", "on: push");

        var loaded = await RevisionLoader.LoadAsync(_folder, CancellationToken.None);

        Assert.Empty(loaded.Errors);
        Assert.Equal(["alpha", "bravo", "charlie", "delta"], loaded.Documents.Select(d => d.Document.Metadata.Name));
        Assert.Equal(["a.json", "team/b.yaml", "team/b.yaml", "team/c.yml"], loaded.Documents.Select(d => d.File));
        var charlie = loaded.Documents.Single(d => d.Document.Metadata.Name == "charlie");
        Assert.Equal(SyncDocuments.Yaml("bravo").Split('\n').Length + 1, charlie.Line);
        Assert.Equal(60, charlie.Document.Spec.Build.TimeoutMinutes);
    }

    [Fact]
    public async Task Every_error_of_every_file_names_file_line_and_json_path_and_no_document_is_returned()
    {
        Write("good.yaml", SyncDocuments.Yaml("good"));
        // The second document of the stream has a string where a number belongs and a misspelt field.
        var bad = SyncDocuments.Yaml("bad").Replace("timeoutMinutes: 60", "timeoutMinutes: \"sixty\"").Replace("    workDir: infra", "    workdir: infra");
        Write("stream.yaml", SyncDocuments.Yaml("first") + "---\n" + bad);
        Write("broken.json", "{\n  \"apiVersion\": \"reconciler/v1\",\n  \"kind\": \n}");
        Write("syntax.yaml", "metadata:\n  name: x\n  - y\n");

        var loaded = await RevisionLoader.LoadAsync(_folder, CancellationToken.None);

        Assert.Empty(loaded.Documents);
        var firstLines = SyncDocuments.Yaml("first").Split('\n').Length;
        var timeoutLine = firstLines + 1 + Array.FindIndex(bad.Split('\n'), l => l.Contains("timeoutMinutes", StringComparison.Ordinal));
        Assert.Contains(loaded.Errors, e => e.StartsWith($"stream.yaml:{timeoutLine}: $.spec.build.timeoutMinutes: ", StringComparison.Ordinal));
        Assert.Contains(loaded.Errors, e => e.StartsWith("stream.yaml:", StringComparison.Ordinal) && e.Contains("$.spec.pulumi.workdir", StringComparison.Ordinal));
        Assert.Contains(loaded.Errors, e => e.StartsWith("broken.json:4: $: invalid JSON", StringComparison.Ordinal));
        Assert.Contains(loaded.Errors, e => e.StartsWith("syntax.yaml:3: $: invalid YAML", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_name_declared_twice_is_an_error_naming_both_places()
    {
        Write("one.json", SyncDocuments.Json("same"));
        Write("two.yaml", SyncDocuments.Yaml("same"));

        var loaded = await RevisionLoader.LoadAsync(_folder, CancellationToken.None);

        var error = Assert.Single(loaded.Errors);
        Assert.Equal("one.json:1: $.metadata.name: 'same' is declared more than once (also at two.yaml:1)", error);
    }

    private void Write(string file, string text)
    {
        var path = Path.Combine(_folder, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
    }
}
