using System.Text.Json.Nodes;

namespace Reconciler.LocalCloud.State;

/// <summary>The resources LocalCloud holds (projects, builds, pipelines, parameters), thread-safe; tests use it to change things behind a client's back.</summary>
/// <remarks>Every read hands out copies and every write takes copies, so no caller can change state without the lock.</remarks>
public sealed class CloudState(ResourceArns arns, TimeProvider time)
{
    private readonly Lock _lock = new();
    private readonly CloudData _data = new();

    /// <summary>Raised after every change (outside the lock); persistence listens to it.</summary>
    public event Action? Changed;

    public ResourceArns Arns => arns;

    public IReadOnlyList<string> ProjectNames => Read(d => d.Projects.Keys.ToList());

    public IReadOnlyList<string> PipelineNames => Read(d => d.Pipelines.Keys.ToList());

    public IReadOnlyList<string> ParameterNames => Read(d => d.Parameters.Keys.ToList());

    /// <summary>A copy of a project as BatchGetProjects would return it, or null.</summary>
    public JsonObject? GetProject(string name) => Read(d => d.Projects.TryGetValue(name, out var p) ? p : null);

    /// <summary>Changes a live project the way a console edit would (lastModified moves).</summary>
    /// <exception cref="KeyNotFoundException">No such project.</exception>
    public void ChangeProject(string name, Action<JsonObject> change) => Write(d =>
    {
        var project = d.Projects.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"no project {name}");
        change(project);
        project["lastModified"] = Now();
        d.Projects[name] = project;
        return 0;
    });

    /// <summary>A copy of a pipeline with its declaration, or null.</summary>
    public StoredPipeline? GetPipeline(string name) =>
        Read(d => d.Pipelines.TryGetValue(name, out var p) ? p with { Declaration = (JsonObject)p.Declaration.DeepClone() } : null);

    /// <summary>Changes a live pipeline's declaration the way a console edit would (version increments, updated moves).</summary>
    /// <exception cref="KeyNotFoundException">No such pipeline.</exception>
    public void ChangePipeline(string name, Action<JsonObject> change) => Write(d =>
    {
        var stored = d.Pipelines.TryGetValue(name, out var p) ? p : throw new KeyNotFoundException($"no pipeline {name}");
        var declaration = (JsonObject)stored.Declaration.DeepClone();
        change(declaration);
        declaration["name"] = name;
        declaration["version"] = stored.Version + 1;
        d.Pipelines[name] = stored with { Declaration = declaration, Updated = Now() };
        return 0;
    });

    /// <summary>Adds a build of an existing project, filling in what CodeBuild would (id, arn, buildNumber, status, times).</summary>
    /// <exception cref="ArgumentException">The build has a field of the wrong type, names no existing project, or repeats an id.</exception>
    public JsonObject AddBuild(JsonObject build) => AddBuilds([build])[0];

    /// <summary>Adds builds all or none: every build is checked before any is stored.</summary>
    /// <exception cref="ArgumentException">Every problem, each as <c>$.builds[i].field: ...</c>.</exception>
    public IReadOnlyList<JsonObject> AddBuilds(IReadOnlyList<JsonObject> builds)
    {
        var problems = builds.SelectMany((b, i) => SeededBuild.Problems(b, $"$.builds[{i}]")).ToList();
        if (problems.Count > 0)
        {
            throw new ArgumentException(string.Join("; ", problems));
        }
        return Write(d =>
        {
            var added = new Dictionary<string, (int Index, JsonObject Build)>(StringComparer.Ordinal);
            for (var i = 0; i < builds.Count; i++)
            {
                var copy = (JsonObject)builds[i].DeepClone();
                var project = (string)copy["projectName"]!;
                if (!d.Projects.ContainsKey(project))
                {
                    throw new ArgumentException($"$.builds[{i}].projectName: build names project {project}, which does not exist");
                }
                var id = (string?)copy["id"] ?? $"{project}:{Guid.NewGuid()}";
                if (d.Builds.ContainsKey(id))
                {
                    throw new ArgumentException($"$.builds[{i}].id: build {id} exists already");
                }
                if (added.TryGetValue(id, out var earlier))
                {
                    throw new ArgumentException($"$.builds[{i}].id: build {id} is also at $.builds[{earlier.Index}]");
                }
                var number = d.Builds.Values.Concat(added.Values.Select(a => a.Build))
                    .Where(b => (string?)b["projectName"] == project).Select(b => (long?)b["buildNumber"] ?? 0).DefaultIfEmpty(0).Max() + 1;
                var status = (string?)copy["buildStatus"] ?? "SUCCEEDED";
                var now = Now();
                copy["id"] = id;
                copy["arn"] = arns.Build(id);
                copy["buildNumber"] ??= number;
                copy["buildStatus"] = status;
                copy["buildComplete"] ??= status != "IN_PROGRESS";
                copy["currentPhase"] ??= status == "IN_PROGRESS" ? "BUILD" : "COMPLETED";
                copy["startTime"] ??= now;
                if (status != "IN_PROGRESS")
                {
                    copy["endTime"] ??= now;
                }
                copy["initiator"] ??= "localcloud";
                added[id] = (i, copy);
            }
            // Stored only once every build is known good: a refused request leaves the state as it was.
            foreach (var (id, entry) in added)
            {
                d.Builds[id] = entry.Build;
            }
            return added.Values.OrderBy(a => a.Index).Select(a => (JsonObject)a.Build.DeepClone()).ToList();
        });
    }

    public bool HasParameter(string name) => Read(d => d.Parameters.ContainsKey(name));

    /// <summary>Adds a parameter's metadata (version 1, modified now) unless one of that name exists; answers whether it added one.</summary>
    public bool AddParameter(string name, string type = "SecureString") => Write(d =>
    {
        if (d.Parameters.ContainsKey(name))
        {
            return false;
        }
        d.Parameters[name] = new StoredParameter(name, type, 1, Now());
        return true;
    });

    /// <summary>Adds a secret's metadata (one version, staged AWSCURRENT) unless one of that name exists; answers whether it added one.</summary>
    public bool AddSecret(string name) => Write(d =>
    {
        if (d.Secrets.ContainsKey(name))
        {
            return false;
        }
        var now = Now();
        d.Secrets[name] = new StoredSecret(name, arns.Secret(name), now, now,
            new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal) { [Guid.NewGuid().ToString()] = ["AWSCURRENT"] });
        return true;
    });

    /// <summary>Schedules a secret for deletion, as DeleteSecret with a recovery window would: it is still described, with its DeletedDate.</summary>
    /// <exception cref="KeyNotFoundException">No such secret.</exception>
    public void ScheduleSecretDeletion(string name) => Write(d =>
    {
        var secret = d.Secrets.TryGetValue(name, out var s) ? s : throw new KeyNotFoundException($"no secret {name}");
        d.Secrets[name] = secret with { DeletedDate = Now() };
        return 0;
    });

    /// <summary>A secret by name, full ARN or partial ARN (without the six-character suffix), as Secrets Manager resolves a SecretId.</summary>
    public StoredSecret? FindSecret(string secretId) => Read(d =>
        d.Secrets.TryGetValue(secretId, out var byName) ? byName
            : d.Secrets.Values.FirstOrDefault(s => s.Arn == secretId || arns.SecretPrefix(s.Name) == secretId));

    /// <summary>A consistent copy of everything.</summary>
    public CloudSnapshot Snapshot() => Read(d => new CloudSnapshot(
        CloudSnapshot.CurrentFormatVersion,
        d.Projects.Values.ToList(),
        d.Builds.Values.OrderBy(b => (string?)b["id"], StringComparer.Ordinal).Select(b => (JsonObject)b.DeepClone()).ToList(),
        d.Pipelines.Values.Select(p => p with { Declaration = (JsonObject)p.Declaration.DeepClone() }).ToList(),
        d.Parameters.Values.ToList(),
        d.Secrets.Values.ToList()));

    /// <summary>Replaces everything with a snapshot's contents.</summary>
    public void Restore(CloudSnapshot snapshot) => Write(d =>
    {
        d.Clear();
        foreach (var project in snapshot.Projects)
        {
            d.Projects[(string)project["name"]!] = project;
        }
        foreach (var build in snapshot.Builds)
        {
            d.Builds[(string)build["id"]!] = (JsonObject)build.DeepClone();
        }
        foreach (var pipeline in snapshot.Pipelines)
        {
            d.Pipelines[pipeline.Name] = pipeline with { Declaration = (JsonObject)pipeline.Declaration.DeepClone() };
        }
        foreach (var parameter in snapshot.Parameters)
        {
            d.Parameters[parameter.Name] = parameter;
        }
        foreach (var secret in snapshot.Secrets ?? [])
        {
            d.Secrets[secret.Name] = secret;
        }
        return 0;
    });

    public void Clear() => Write(d =>
    {
        d.Clear();
        return 0;
    });

    /// <summary>Now, in the epoch seconds (with milliseconds) the JSON protocols use for timestamps.</summary>
    internal double Now() => time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0;

    internal T Read<T>(Func<CloudData, T> read)
    {
        lock (_lock)
        {
            return read(_data);
        }
    }

    /// <summary>Runs a change under the lock; when it returns (does not throw), listeners hear of it.</summary>
    internal T Write<T>(Func<CloudData, T> write)
    {
        T result;
        lock (_lock)
        {
            result = write(_data);
        }
        Changed?.Invoke();
        return result;
    }
}
