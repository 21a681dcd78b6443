using System.Globalization;
using System.Text.Json.Nodes;
using Reconciler.Model.Planning;
using Reconciler.Model.Rendering.Pulumi;
using Reconciler.PulumiStandIn.Aws;
using Reconciler.PulumiStandIn.Backend;

namespace Reconciler.PulumiStandIn.Engine;

/// <summary>Which engine operation runs.</summary>
internal enum UpdateKind
{
    Update,
    Preview,
    Refresh,
    Destroy,
}

/// <summary>What a deployment reports back: the summary's result and counts.</summary>
internal sealed record DeploymentResult(string Result, IReadOnlyDictionary<string, int> Changes, string? Error);

/// <summary>
/// One engine operation on one stack (<c>up</c>, <c>preview</c>, <c>refresh</c>, <c>destroy</c>): steps per resource
/// against the provider, the checkpoint saved after every step (a pending operation recorded before each), and the
/// event stream in the CLI's format.
/// </summary>
internal sealed class Deployment(
    DiyBackend backend, string project, string stack, EventLog events, Func<string, string?> environment,
    ResourceProvider? provider, TextWriter output, CancellationToken interrupt)
{
    private const string StackType = "pulumi:pulumi:Stack";
    private readonly Dictionary<string, int> _changes = new(StringComparer.Ordinal);
    private int _steps;

    private string StackUrn => Urn(StackType, $"{project}-{stack}");

    public async Task<DeploymentResult> RunAsync(UpdateKind kind, IReadOnlyList<ProgramResource> program, JsonObject config, bool clearPendingCreates)
    {
        var checkpoint = backend.Load(project, stack);
        var started = DateTimeOffset.UtcNow;
        events.Emit("preludeEvent", new JsonObject
        {
            ["config"] = new JsonObject(config.OrderBy(c => c.Key, StringComparer.Ordinal)
                .Select(c => KeyValuePair.Create(c.Key, (JsonNode?)(c.Value is JsonObject ? "[secret]" : (string?)c.Value)))),
        });
        output.WriteLine($"{Verb(kind)} (organization/{project}/{stack}):");
        string? error = null;
        try
        {
            if (checkpoint.PendingOperations.Count > 0)
            {
                if (kind == UpdateKind.Refresh && clearPendingCreates)
                {
                    checkpoint.PendingOperations.Clear();
                }
                else
                {
                    Diagnostic(StackUrn, "warning",
                        $"Attempting to deploy or update resources with {checkpoint.PendingOperations.Count} pending operations from previous deployment.");
                }
            }
            switch (kind)
            {
                case UpdateKind.Update or UpdateKind.Preview:
                    await UpAsync(checkpoint, program, preview: kind == UpdateKind.Preview);
                    break;
                case UpdateKind.Refresh:
                    await RefreshAsync(checkpoint);
                    break;
                case UpdateKind.Destroy:
                    await DestroyAsync(checkpoint);
                    break;
            }
        }
        catch (StepFailedException ex)
        {
            error = ex.Message;
        }
        catch (OperationCanceledException) when (interrupt.IsCancellationRequested)
        {
            events.Emit("stdoutEvent", new JsonObject
            {
                ["message"] = "^C received; cancelling. If you would like to terminate immediately, press ^C again.\n",
                ["color"] = "never",
            });
            error = "update cancelled";
        }
        if (kind != UpdateKind.Preview)
        {
            backend.Save(project, stack, checkpoint);
        }
        var result = error is null ? "succeeded" : interrupt.IsCancellationRequested ? "canceled" : "failed";
        var duration = (int)Math.Ceiling((DateTimeOffset.UtcNow - started).TotalSeconds);
        events.Emit("summaryEvent", new JsonObject
        {
            ["maybeCorrupt"] = false,
            ["durationSeconds"] = duration,
            ["resourceChanges"] = new JsonObject(_changes.OrderBy(c => c.Key, StringComparer.Ordinal).Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            ["PolicyPacks"] = new JsonObject(),
            ["isPreview"] = kind == UpdateKind.Preview,
            ["result"] = result,
        });
        events.Emit("cancelEvent", new JsonObject());
        if (kind != UpdateKind.Preview)
        {
            backend.AppendHistory(project, stack, new JsonObject
            {
                ["kind"] = kind switch { UpdateKind.Refresh => "refresh", UpdateKind.Destroy => "destroy", _ => "update" },
                ["startTime"] = started.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["endTime"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture),
                ["result"] = result,
                ["message"] = "",
                ["environment"] = new JsonObject { ["exec.kind"] = environment("PULUMI_AUTOMATION_API") is "true" ? "auto.local" : "cli" },
                ["config"] = new JsonObject(config.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)new JsonObject
                {
                    ["value"] = c.Value is JsonObject ? "[secret]" : (string?)c.Value,
                    ["secret"] = c.Value is JsonObject,
                    ["object"] = false,
                }))),
                ["resourceChanges"] = new JsonObject(_changes.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value))),
            });
        }
        output.WriteLine("Resources:");
        foreach (var (op, count) in _changes.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            output.WriteLine($"    {count} {op}");
        }
        output.WriteLine($"Duration: {duration}s");
        return new DeploymentResult(result, _changes, error);
    }

    private async Task UpAsync(Checkpoint checkpoint, IReadOnlyList<ProgramResource> program, bool preview)
    {
        checkpoint.PendingOperations.Clear();
        var stackResource = checkpoint.Resources.FirstOrDefault(r => r.Type == StackType);
        if (stackResource is null)
        {
            stackResource = new StateResource(StackUrn, StackType, "", false, [], [], "", [], false);
            Step("create", null, stackResource, preview);
            if (!preview)
            {
                checkpoint.Resources.Insert(0, stackResource);
            }
        }
        else
        {
            Step("same", stackResource, stackResource, preview);
        }

        foreach (var resource in program)
        {
            interrupt.ThrowIfCancellationRequested();
            var urn = Urn(resource.Type.Token, resource.Name);
            var old = checkpoint.Resources.FirstOrDefault(r => r.Urn == urn);
            var dependencies = resource.DependsOn.Select(d => Urn(program.First(p => p.Name == d).Type.Token, d)).ToList();
            var planned = new StateResource(urn, resource.Type.Token, old?.Id ?? "", true, resource.Properties, old?.Outputs ?? [], StackUrn, dependencies, resource.RetainOnDelete);
            if (old is null && resource.Import is { } importId)
            {
                await ImportAsync(checkpoint, resource, planned, importId, preview);
                continue;
            }
            var diffs = old is null ? [] : Diffs(resource.Properties, old.Outputs);
            var op = old is null ? "create" : diffs.Count > 0 ? "update" : "same";
            if (op == "same")
            {
                var same = planned with { Id = old!.Id, Outputs = old.Outputs };
                Step("same", old, same, preview);
                if (!preview)
                {
                    Replace(checkpoint, same);
                }
                continue;
            }
            if (preview)
            {
                Step(op, old, planned, preview, diffs);
                continue;
            }
            await BeforeStepAsync(checkpoint, planned, op);
            events.Emit("resourcePreEvent", new JsonObject { ["metadata"] = Metadata(op, old, planned, diffs) });
            try
            {
                FailIfAsked(resource.Name);
                StateResource applied;
                if (op == "create")
                {
                    var (id, outputs) = await provider!.CreateAsync(resource.Type, resource.Properties, CancellationToken.None);
                    applied = planned with { Id = id, Outputs = outputs };
                }
                else
                {
                    applied = planned with { Outputs = SecretOutputs.KeepWriteOnly(old!.Outputs, await provider!.UpdateAsync(resource.Type, old.Id, resource.Properties, CancellationToken.None)) };
                }
                checkpoint.PendingOperations.Clear();
                Replace(checkpoint, applied);
                backend.Save(project, stack, checkpoint);
                events.Emit("resOutputsEvent", new JsonObject { ["metadata"] = Metadata(op, old, applied, diffs) });
                Count(op);
                output.WriteLine($"    {resource.Type.Token} {resource.Name} {op}d");
            }
            catch (Exception ex) when (ex is AwsCallException or SimulatedFailureException or HttpRequestException)
            {
                checkpoint.PendingOperations.Clear();
                Fail(op, old, planned, $"{(op == "create" ? "creating" : "updating")} {resource.Type.Short} ({resource.Name}): {ex.Message}");
            }
        }

        // Resources the program no longer declares go, dependents first.
        var declared = program.Select(p => Urn(p.Type.Token, p.Name)).ToHashSet(StringComparer.Ordinal);
        foreach (var gone in checkpoint.Resources.Where(r => r.Custom && !declared.Contains(r.Urn)).Reverse().ToList())
        {
            await DeleteAsync(checkpoint, gone, preview);
        }
    }

    // The import option adopts an existing resource: it is read, and its inputs must match it, or the import fails (as
    // the engine's import step does); an import is no change to the cloud.
    private async Task ImportAsync(Checkpoint checkpoint, ProgramResource resource, StateResource planned, string id, bool preview)
    {
        if (preview)
        {
            Step("import", null, planned with { Id = id }, preview);
            return;
        }
        await BeforeStepAsync(checkpoint, planned with { Id = id }, "import");
        events.Emit("resourcePreEvent", new JsonObject { ["metadata"] = Metadata("import", null, planned with { Id = id }, []) });
        JsonObject? live;
        try
        {
            live = await provider!.ReadAsync(resource.Type, id, CancellationToken.None);
        }
        catch (AwsCallException ex)
        {
            checkpoint.PendingOperations.Clear();
            Fail("import", null, planned, $"reading {resource.Type.Short} ({id}): {ex.Message}");
            return;
        }
        checkpoint.PendingOperations.Clear();
        if (live is null)
        {
            Fail("import", null, planned, $"importing {id}: resource '{id}' does not exist");
        }
        var diffs = Diffs(resource.Properties, live!);
        if (diffs.Count > 0)
        {
            Fail("import", null, planned, $"inputs to import do not match the existing resource; importing this resource will fail (differences: {string.Join(", ", diffs)})");
        }
        var imported = planned with { Id = id, Outputs = live! };
        Replace(checkpoint, imported);
        backend.Save(project, stack, checkpoint);
        events.Emit("resOutputsEvent", new JsonObject { ["metadata"] = Metadata("import", null, imported, []) });
        Count("import");
        output.WriteLine($"    {resource.Type.Token} {resource.Name} imported");
    }

    private async Task RefreshAsync(Checkpoint checkpoint)
    {
        foreach (var resource in checkpoint.Resources.ToList())
        {
            interrupt.ThrowIfCancellationRequested();
            if (!resource.Custom)
            {
                events.Emit("resourcePreEvent", new JsonObject { ["metadata"] = Metadata("refresh", resource, resource, [], logical: false) });
                events.Emit("resOutputsEvent", new JsonObject { ["metadata"] = Metadata("same", resource, resource, []) });
                Count("same");
                continue;
            }
            var type = PulumiResourceType.Find(resource.Type)!;
            events.Emit("resourcePreEvent", new JsonObject { ["metadata"] = Metadata("refresh", resource, resource, [], logical: false) });
            JsonObject? live;
            try
            {
                live = await provider!.ReadAsync(type, resource.Id, CancellationToken.None);
            }
            catch (AwsCallException ex)
            {
                Fail("refresh", resource, resource, $"reading {type.Short} ({resource.Id}): {ex.Message}");
                return;
            }
            if (live is null)
            {
                checkpoint.Resources.Remove(resource);
                events.Emit("resOutputsEvent", new JsonObject { ["metadata"] = Metadata("delete", resource, null, []) });
                Count("delete");
                continue;
            }
            var refreshed = resource with { Outputs = SecretOutputs.KeepWriteOnly(resource.Outputs, live) };
            var diffs = Diffs(resource.Outputs, refreshed.Outputs);
            Replace(checkpoint, refreshed);
            var op = diffs.Count > 0 ? "update" : "same";
            events.Emit("resOutputsEvent", new JsonObject { ["metadata"] = Metadata(op, resource, refreshed, diffs) });
            Count(op);
        }
    }

    private async Task DestroyAsync(Checkpoint checkpoint)
    {
        foreach (var resource in checkpoint.Resources.AsEnumerable().Reverse().ToList())
        {
            interrupt.ThrowIfCancellationRequested();
            await DeleteAsync(checkpoint, resource, preview: false);
        }
    }

    private async Task DeleteAsync(Checkpoint checkpoint, StateResource resource, bool preview)
    {
        if (preview)
        {
            Step("delete", resource, null, preview);
            return;
        }
        await BeforeStepAsync(checkpoint, resource, "delete");
        events.Emit("resourcePreEvent", new JsonObject { ["metadata"] = Metadata("delete", resource, null, []) });
        // retainOnDelete: the resource leaves the state and stays in the cloud.
        if (resource.Custom && !resource.RetainOnDelete)
        {
            try
            {
                await provider!.DeleteAsync(PulumiResourceType.Find(resource.Type)!, resource.Id, CancellationToken.None);
            }
            catch (AwsCallException ex) when (ex.Code is "ResourceNotFoundException" or "PipelineNotFoundException")
            {
                // Already gone: deleting it is done.
            }
            catch (AwsCallException ex)
            {
                checkpoint.PendingOperations.Clear();
                Fail("delete", resource, null, $"deleting {resource.Type} ({resource.Id}): {ex.Message}");
            }
        }
        checkpoint.PendingOperations.Clear();
        checkpoint.Resources.Remove(resource);
        backend.Save(project, stack, checkpoint);
        events.Emit("resOutputsEvent", new JsonObject { ["metadata"] = Metadata("delete", resource, null, []) });
        Count("delete");
    }

    // A step that started finishes (as the real engine finishes in-flight steps on the first ^C); the interrupt is checked between steps.
    // The knobs act here: a slow step, and a process that dies mid-update with its pending operation recorded and its lock held.
    private async Task BeforeStepAsync(Checkpoint checkpoint, StateResource resource, string op)
    {
        if (int.TryParse(environment(Knobs.StepDelayMs), CultureInfo.InvariantCulture, out var delay) && delay > 0)
        {
            await Task.Delay(delay, interrupt);
        }
        checkpoint.PendingOperations.Clear();
        checkpoint.PendingOperations.Add(new JsonObject
        {
            ["resource"] = resource.ToJson(),
            ["type"] = op switch { "create" => "creating", "delete" => "deleting", "import" => "importing", _ => "updating" },
        });
        backend.Save(project, stack, checkpoint);
        _steps++;
        if (int.TryParse(environment(Knobs.InterruptAfterSteps), CultureInfo.InvariantCulture, out var limit) && _steps > limit)
        {
            output.Flush();
            Environment.Exit(137);
        }
    }

    private void FailIfAsked(string name)
    {
        var knob = environment(Knobs.FailResource);
        if (string.IsNullOrEmpty(knob))
        {
            return;
        }
        var eq = knob.IndexOf('=', StringComparison.Ordinal);
        var target = eq >= 0 ? knob[..eq] : knob;
        if (target == name)
        {
            throw new SimulatedFailureException(eq >= 0 ? knob[(eq + 1)..] : "simulated provider failure");
        }
    }

    private void Fail(string op, StateResource? old, StateResource? planned, string message)
    {
        Diagnostic((planned ?? old)!.Urn, "error", message);
        events.Emit("resOpFailedEvent", new JsonObject
        {
            ["metadata"] = Metadata(op, old, planned, []),
            ["status"] = 0,
            ["steps"] = _steps,
        });
        throw new StepFailedException(message);
    }

    private void Diagnostic(string urn, string severity, string message)
    {
        events.Emit("diagnosticEvent", new JsonObject
        {
            ["urn"] = urn,
            ["prefix"] = severity + ": ",
            ["message"] = message + "\n",
            ["color"] = "never",
            ["severity"] = severity,
        });
        output.WriteLine($"    {severity}: {message}");
    }

    private void Step(string op, StateResource? old, StateResource? @new, bool preview, IReadOnlyList<string>? diffs = null)
    {
        var pre = new JsonObject { ["metadata"] = Metadata(op, old, @new, diffs ?? []) };
        var outputs = new JsonObject { ["metadata"] = Metadata(op, old, @new, diffs ?? []) };
        if (preview)
        {
            pre["planning"] = true;
            outputs["planning"] = true;
        }
        events.Emit("resourcePreEvent", pre);
        events.Emit("resOutputsEvent", outputs);
        Count(op);
    }

    private void Count(string op) => _changes[op] = _changes.GetValueOrDefault(op) + 1;

    private static void Replace(Checkpoint checkpoint, StateResource resource)
    {
        var index = checkpoint.Resources.FindIndex(r => r.Urn == resource.Urn);
        if (index >= 0)
        {
            checkpoint.Resources[index] = resource;
        }
        else
        {
            checkpoint.Resources.Add(resource);
        }
    }

    // The provider compares the program's inputs with the state's outputs (what the last update or refresh saw).
    // Tags are a map the provider owns whole: a key missing from the program is a key to remove.
    private static List<string> Diffs(JsonObject desired, JsonObject actual)
    {
        var diffs = new JsonSubsetDiff(new Dictionary<string, CollectionRule>()).Compare(desired, actual)
            .Select(d => d.Path.TrimStart('$', '.').Split('.', '[')[0]).Distinct(StringComparer.Ordinal).ToList();
        if (desired["tags"] is JsonObject tags && !diffs.Contains("tags")
            && !JsonNode.DeepEquals(tags, actual["tags"] ?? new JsonObject()))
        {
            diffs.Add("tags");
        }
        return diffs;
    }

    private JsonObject Metadata(string op, StateResource? old, StateResource? @new, IReadOnlyList<string> diffs, bool logical = true)
    {
        var subject = (@new ?? old)!;
        var metadata = new JsonObject
        {
            ["op"] = op,
            ["urn"] = subject.Urn,
            ["type"] = subject.Type,
            ["old"] = old is null ? null : StateMetadata(old),
            ["new"] = @new is null ? null : StateMetadata(@new),
        };
        if (diffs.Count > 0)
        {
            metadata["diffs"] = new JsonArray(diffs.Select(d => (JsonNode?)d).ToArray());
        }
        metadata["detailedDiff"] = null;
        if (logical)
        {
            metadata["logical"] = true;
        }
        metadata["provider"] = "";
        return metadata;
    }

    private static JsonObject StateMetadata(StateResource resource)
    {
        var state = new JsonObject { ["type"] = resource.Type, ["urn"] = resource.Urn };
        if (resource.Custom)
        {
            state["custom"] = true;
        }
        state["id"] = resource.Id;
        state["parent"] = resource.Parent;
        if (resource.RetainOnDelete)
        {
            state["retainOnDelete"] = true;
        }
        state["inputs"] = resource.Inputs.DeepClone();
        state["outputs"] = SecretOutputs.Blind(resource.Outputs);
        state["provider"] = "";
        return state;
    }

    private string Urn(string type, string name) => $"urn:pulumi:{stack}::{project}::{type}::{name}";

    private static string Verb(UpdateKind kind) => kind switch
    {
        UpdateKind.Preview => "Previewing update",
        UpdateKind.Refresh => "Refreshing",
        UpdateKind.Destroy => "Destroying",
        _ => "Updating",
    };
}

/// <summary>A resource step failed; the update stops and reports <c>failed</c>.</summary>
internal sealed class StepFailedException(string message) : Exception(message);

/// <summary>The failure <c>PULUMI_STANDIN_FAIL_RESOURCE</c> asks for.</summary>
internal sealed class SimulatedFailureException(string message) : Exception(message);
