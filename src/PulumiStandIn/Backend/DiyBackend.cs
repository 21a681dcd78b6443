using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.PulumiStandIn.Backend;

/// <summary>
/// The <c>file://</c> ("DIY") backend: a stack's checkpoint at <c>.pulumi/stacks/&lt;project&gt;/&lt;stack&gt;.json</c>, its
/// update locks under <c>.pulumi/locks/&lt;project&gt;/&lt;stack&gt;/</c> and its history under <c>.pulumi/history/</c>, the
/// layout the real CLI uses, so that a crashed update leaves what a real one leaves: a lock and pending operations.
/// </summary>
internal sealed class DiyBackend(string root)
{
    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true };

    public string Root { get; } = root;

    /// <summary>The backend of <c>PULUMI_BACKEND_URL</c>; the stand-in serves only <c>file://</c> ones.</summary>
    public static DiyBackend FromEnvironment(Func<string, string?> environment)
    {
        var url = environment("PULUMI_BACKEND_URL");
        if (string.IsNullOrEmpty(url) || !url.StartsWith("file://", StringComparison.Ordinal))
        {
            throw new StandInException(
                "PULUMI_ACCESS_TOKEN must be set for login during non-interactive CLI sessions (the stand-in serves only file:// backends: set PULUMI_BACKEND_URL)",
                ExitCodes.Error);
        }
        var path = url["file://".Length..];
        if (path.StartsWith('~'))
        {
            path = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile) + path[1..];
        }
        return new DiyBackend(Path.GetFullPath(path));
    }

    public string StackFile(string project, string stack) => Path.Combine(Root, ".pulumi", "stacks", project, stack + ".json");

    public string LockFolder(string project, string stack) => Path.Combine(Root, ".pulumi", "locks", project, stack);

    public string HistoryFolder(string project, string stack) => Path.Combine(Root, ".pulumi", "history", project, stack);

    public bool Exists(string project, string stack) => File.Exists(StackFile(project, stack));

    public IEnumerable<string> Stacks(string project)
    {
        var folder = Path.Combine(Root, ".pulumi", "stacks", project);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.json").Select(f => Path.GetFileNameWithoutExtension(f)!).Order(StringComparer.Ordinal)
            : [];
    }

    public void Create(string project, string stack)
    {
        if (Exists(project, stack))
        {
            throw new StandInException($"stack 'organization/{project}/{stack}' already exists");
        }
        Save(project, stack, new Checkpoint(Qualified(project, stack), [], []));
    }

    public void Remove(string project, string stack, bool force)
    {
        var checkpoint = Load(project, stack);
        if (!force && checkpoint.Resources.Count > 0)
        {
            throw new StandInException(
                $"'{stack}' still has resources; removal rejected. Possible actions:\n- Make sure that '{stack}' is the stack that you want to destroy\n- Run `pulumi destroy` to delete the resources, then run `pulumi stack rm`\n- Run `pulumi stack rm --force` to override this error");
        }
        File.Delete(StackFile(project, stack));
        if (Directory.Exists(HistoryFolder(project, stack)))
        {
            Directory.Delete(HistoryFolder(project, stack), recursive: true);
        }
    }

    public Checkpoint Load(string project, string stack)
    {
        var path = StackFile(project, stack);
        if (!File.Exists(path))
        {
            throw NotFound(project, stack);
        }
        var root = JsonNode.Parse(File.ReadAllText(path))!.AsObject();
        var latest = root["checkpoint"]?["latest"];
        return new Checkpoint(
            (string?)root["checkpoint"]?["stack"] ?? Qualified(project, stack),
            ((latest?["resources"] as JsonArray) ?? []).Select(r => StateResource.From(r!.AsObject())).ToList(),
            ((latest?["pending_operations"] as JsonArray) ?? []).Select(p => p!.DeepClone().AsObject()).ToList());
    }

    /// <summary>Writes the checkpoint through a temporary file and a rename, so that a killed process never leaves half a file.</summary>
    public void Save(string project, string stack, Checkpoint checkpoint)
    {
        var path = StackFile(project, stack);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var document = new JsonObject
        {
            ["version"] = 3,
            ["checkpoint"] = new JsonObject
            {
                ["stack"] = checkpoint.Stack,
                ["latest"] = new JsonObject
                {
                    ["manifest"] = new JsonObject
                    {
                        ["time"] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture),
                        ["version"] = StandInVersion.Version,
                    },
                    ["resources"] = new JsonArray(checkpoint.Resources.Select(r => (JsonNode?)r.ToJson()).ToArray()),
                    ["pending_operations"] = new JsonArray(checkpoint.PendingOperations.Select(p => (JsonNode?)p.DeepClone()).ToArray()),
                },
            },
        };
        var temporary = path + "." + Environment.ProcessId.ToString(CultureInfo.InvariantCulture) + ".tmp";
        File.WriteAllText(temporary, document.ToJsonString(Indented));
        File.Move(temporary, path, overwrite: true);
    }

    /// <summary>Takes the stack's update lock, or fails with the CLI's "currently locked" text naming every holder.</summary>
    public string Lock(string project, string stack, Func<string, string?> environment)
    {
        var folder = LockFolder(project, stack);
        var holders = Directory.Exists(folder) ? Directory.GetFiles(folder, "*.json").Order(StringComparer.Ordinal).ToList() : [];
        var simulated = environment(Knobs.LockHeldWhile);
        var lines = holders.Select(h =>
        {
            var info = JsonNode.Parse(File.ReadAllText(h));
            return $"  file://{h}: created by {(string?)info?["username"]}@{(string?)info?["hostname"]} (pid {(int?)info?["pid"]}) at {(string?)info?["timestamp"]}";
        }).ToList();
        if (!string.IsNullOrEmpty(simulated) && File.Exists(simulated))
        {
            lines.Add($"  file://{Path.Combine(folder, "held-by-test.json")}: created by other@elsewhere (pid 4242) at 2026-01-01T00:00:00Z");
        }
        if (lines.Count > 0)
        {
            throw new StandInException(
                $"the stack is currently locked by {lines.Count} lock(s). Either wait for the other process(es) to end or delete the lock file with `pulumi cancel`.\n"
                + string.Join("\n", lines));
        }
        Directory.CreateDirectory(folder);
        var path = Path.Combine(folder, Guid.NewGuid().ToString() + ".json");
        File.WriteAllText(path, new JsonObject
        {
            ["pid"] = Environment.ProcessId,
            ["username"] = Environment.UserName,
            ["hostname"] = Environment.MachineName,
            ["timestamp"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
        }.ToJsonString());
        return path;
    }

    /// <summary><c>pulumi cancel</c> on a DIY backend: deletes the stack's lock files.</summary>
    public int Cancel(string project, string stack)
    {
        var folder = LockFolder(project, stack);
        if (!Directory.Exists(folder))
        {
            return 0;
        }
        var locks = Directory.GetFiles(folder, "*.json");
        foreach (var file in locks)
        {
            File.Delete(file);
        }
        return locks.Length;
    }

    public void AppendHistory(string project, string stack, JsonObject entry)
    {
        var folder = HistoryFolder(project, stack);
        Directory.CreateDirectory(folder);
        var version = Directory.GetFiles(folder, "*.history.json").Length + 1;
        entry["version"] = version;
        File.WriteAllText(Path.Combine(folder, $"{stack}-{version:D6}.history.json"), entry.ToJsonString(Indented));
    }

    /// <summary>The history entries, newest first.</summary>
    public IReadOnlyList<JsonObject> History(string project, string stack)
    {
        var folder = HistoryFolder(project, stack);
        return Directory.Exists(folder)
            ? Directory.GetFiles(folder, "*.history.json").Order(StringComparer.Ordinal).Reverse()
                .Select(f => JsonNode.Parse(File.ReadAllText(f))!.AsObject()).ToList()
            : [];
    }

    public static StandInException NotFound(string project, string stack) =>
        new($"no stack named 'organization/{project}/{stack}' found", ExitCodes.StackNotFound);

    private static string Qualified(string project, string stack) => $"organization/{project}/{stack}";
}

/// <summary>A stack's latest state: its resources and the operations a crashed update left in flight.</summary>
internal sealed record Checkpoint(string Stack, List<StateResource> Resources, List<JsonObject> PendingOperations);

/// <summary>One resource in a stack's state.</summary>
internal sealed record StateResource(string Urn, string Type, string Id, bool Custom, JsonObject Inputs, JsonObject Outputs, string Parent, IReadOnlyList<string> Dependencies, bool RetainOnDelete)
{
    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["urn"] = Urn,
            ["custom"] = Custom,
            ["id"] = Id,
            ["type"] = Type,
            ["inputs"] = Inputs.DeepClone(),
            ["outputs"] = Outputs.DeepClone(),
            ["parent"] = Parent,
            ["dependencies"] = new JsonArray(Dependencies.Select(d => (JsonNode?)d).ToArray()),
        };
        if (RetainOnDelete)
        {
            json["retainOnDelete"] = true;
        }
        return json;
    }

    public static StateResource From(JsonObject json) => new(
        (string?)json["urn"] ?? "",
        (string?)json["type"] ?? "",
        (string?)json["id"] ?? "",
        (bool?)json["custom"] ?? false,
        json["inputs"]?.DeepClone().AsObject() ?? [],
        json["outputs"]?.DeepClone().AsObject() ?? [],
        (string?)json["parent"] ?? "",
        ((json["dependencies"] as JsonArray) ?? []).Select(d => (string?)d ?? "").ToList(),
        (bool?)json["retainOnDelete"] ?? false);
}
