using System.Text.Json;

namespace Reconciler.LocalCloud.State;

/// <summary>Reads and writes the optional JSON snapshot LocalCloud keeps its state in between runs.</summary>
internal static class StateFile
{
    /// <summary>The snapshot in the file, or null when there is no file yet.</summary>
    /// <exception cref="InvalidDataException">The file is not a LocalCloud snapshot; the message names the file, the JSON path and the problem.</exception>
    public static CloudSnapshot? Load(string path)
    {
        if (!File.Exists(path))
        {
            return null;
        }
        try
        {
            using var stream = File.OpenRead(path);
            var snapshot = JsonSerializer.Deserialize(stream, LocalCloudJsonContext.Default.CloudSnapshot)
                ?? throw new InvalidDataException($"{path}: $: the state file holds null, not a snapshot");
            if (snapshot.FormatVersion != CloudSnapshot.CurrentFormatVersion)
            {
                throw new InvalidDataException(
                    $"{path}: $.formatVersion: {snapshot.FormatVersion} is not supported (expected {CloudSnapshot.CurrentFormatVersion})");
            }
            return snapshot;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Path ?? "$"}: not a LocalCloud state snapshot ({e.Message})", e);
        }
    }

    /// <summary>Writes the snapshot next to the file and moves it into place, so a crash never leaves half a file.</summary>
    public static void Save(string path, CloudSnapshot snapshot)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
        Directory.CreateDirectory(directory);
        var temporary = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        using (var stream = File.Create(temporary))
        {
            JsonSerializer.Serialize(stream, snapshot, LocalCloudJsonContext.Default.CloudSnapshot);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
