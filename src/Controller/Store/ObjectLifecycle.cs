using System.Globalization;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Store;

/// <summary>
/// The Kubernetes metadata rules every adapter applies: what each operation does to uid, generation,
/// resourceVersion, timestamps and finalizers. Adapters only persist the <see cref="StoreTransition"/> it returns,
/// so SQLite and DynamoDB cannot drift apart in semantics.
/// </summary>
internal static class ObjectLifecycle
{
    public static PulumiPipeline ForCreate(PulumiPipeline document, TimeProvider clock)
    {
        var name = document.Metadata.Name;
        if (string.IsNullOrWhiteSpace(name))
        {
            throw new StoreInvalidDocumentException("document has no metadata.name; a name is required to store it");
        }
        // Status is the controller's, written through UpdateStatus; a create never carries one.
        return document with
        {
            Status = null,
            Metadata = document.Metadata with
            {
                Uid = Guid.NewGuid().ToString(),
                Generation = 1,
                ResourceVersion = "1",
                CreationTimestamp = clock.GetUtcNow(),
                DeletionTimestamp = null,
                Labels = NullIfEmpty(document.Metadata.Labels),
                Annotations = NullIfEmpty(document.Metadata.Annotations),
                Finalizers = NormalizeFinalizers(document.Metadata.Finalizers),
            },
        };
    }

    /// <summary>
    /// Fails with a conflict when the caller's resourceVersion is not the stored one (null skips the check), or when
    /// the caller's uid is not the stored one (null skips it): a document deleted and created again under the same
    /// name starts again at resourceVersion 1, so only the uid tells a write meant for the old one from one for the new.
    /// </summary>
    public static void CheckPrecondition(PulumiPipeline current, string? expectedResourceVersion, string? expectedUid = null)
    {
        if (expectedUid is not null && !string.Equals(expectedUid, current.Metadata.Uid, StringComparison.Ordinal))
        {
            throw new StoreConflictException(
                $"document '{current.Metadata.Name}' was deleted and created again (the write was meant for uid {expectedUid}, the document now is uid {current.Metadata.Uid}); read it again");
        }
        if (expectedResourceVersion is not null && !string.Equals(expectedResourceVersion, current.Metadata.ResourceVersion, StringComparison.Ordinal))
        {
            throw Conflict(current.Metadata.Name, expectedResourceVersion);
        }
    }

    public static StoreConflictException Conflict(string name, string? expectedResourceVersion) =>
        new($"document '{name}' was changed by someone else (the write expected resourceVersion {expectedResourceVersion ?? "(any)"}); read it again and retry");

    /// <summary>
    /// Spec, labels and annotations from <paramref name="incoming"/>; everything the server owns from <paramref name="current"/>.
    /// Generation moves only when the spec changes, as in Kubernetes: a label or annotation change is a new
    /// resourceVersion of the same generation, so it is never taken for a change in what the spec asks for.
    /// </summary>
    public static StoreTransition ForUpdate(PulumiPipeline current, PulumiPipeline incoming)
    {
        var labels = NullIfEmpty(incoming.Metadata.Labels);
        var annotations = NullIfEmpty(incoming.Metadata.Annotations);
        var specChanged = StoredDocumentJson.SerializeSpec(current.Spec) != StoredDocumentJson.SerializeSpec(incoming.Spec);
        var changed = specChanged
            || !SameMap(current.Metadata.Labels, labels)
            || !SameMap(current.Metadata.Annotations, annotations);
        if (!changed && current.ApiVersion == incoming.ApiVersion)
        {
            return StoreTransition.Unchanged(current);
        }
        return StoreTransition.Put(current with
        {
            ApiVersion = incoming.ApiVersion,
            Spec = incoming.Spec,
            Metadata = current.Metadata with
            {
                Labels = labels,
                Annotations = annotations,
                Generation = specChanged ? current.Metadata.Generation + 1 : current.Metadata.Generation,
                ResourceVersion = NextResourceVersion(current),
            },
        });
    }

    public static StoreTransition ForStatus(PulumiPipeline current, PipelineStatus status)
    {
        if (StoredDocumentJson.SerializeStatus(current.Status) == StoredDocumentJson.SerializeStatus(status))
        {
            return StoreTransition.Unchanged(current);
        }
        return StoreTransition.Put(current with
        {
            Status = status,
            Metadata = current.Metadata with { ResourceVersion = NextResourceVersion(current) },
        });
    }

    public static StoreTransition ForFinalizers(PulumiPipeline current, IReadOnlyList<string> finalizers)
    {
        var normalized = NormalizeFinalizers(finalizers);
        if (normalized is null && current.Metadata.DeletionTimestamp is not null)
        {
            // The last finalizer of a deleting document is gone: nothing holds it any more.
            return StoreTransition.Remove(current);
        }
        if ((normalized ?? []).SequenceEqual(current.Metadata.Finalizers ?? [], StringComparer.Ordinal))
        {
            return StoreTransition.Unchanged(current);
        }
        return StoreTransition.Put(current with
        {
            Metadata = current.Metadata with { Finalizers = normalized, ResourceVersion = NextResourceVersion(current) },
        });
    }

    public static StoreTransition ForDelete(PulumiPipeline current, TimeProvider clock)
    {
        if (current.Metadata.Finalizers is not { Count: > 0 })
        {
            return StoreTransition.Remove(current);
        }
        if (current.Metadata.DeletionTimestamp is not null)
        {
            return StoreTransition.Unchanged(current);
        }
        return StoreTransition.Put(current with
        {
            Metadata = current.Metadata with { DeletionTimestamp = clock.GetUtcNow(), ResourceVersion = NextResourceVersion(current) },
        });
    }

    public static long ResourceVersionOf(PulumiPipeline document) =>
        long.Parse(document.Metadata.ResourceVersion ?? "0", CultureInfo.InvariantCulture);

    private static string NextResourceVersion(PulumiPipeline current) =>
        (ResourceVersionOf(current) + 1).ToString(CultureInfo.InvariantCulture);

    private static IReadOnlyList<string>? NormalizeFinalizers(IReadOnlyList<string>? finalizers)
    {
        if (finalizers is null || finalizers.Count == 0)
        {
            return null;
        }
        return finalizers.Where(f => !string.IsNullOrWhiteSpace(f)).Distinct(StringComparer.Ordinal).ToArray() is { Length: > 0 } list ? list : null;
    }

    private static IReadOnlyDictionary<string, string>? NullIfEmpty(IReadOnlyDictionary<string, string>? map) =>
        map is { Count: > 0 } ? map : null;

    private static bool SameMap(IReadOnlyDictionary<string, string>? a, IReadOnlyDictionary<string, string>? b)
    {
        a ??= new Dictionary<string, string>();
        b ??= new Dictionary<string, string>();
        return a.Count == b.Count && a.All(pair => b.TryGetValue(pair.Key, out var value) && value == pair.Value);
    }
}
