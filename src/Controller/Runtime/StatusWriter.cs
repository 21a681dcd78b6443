using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>Writes an object's status only when it differs from the stored one (compared as canonical JSON), so a steady state costs no writes.</summary>
/// <remarks>Canonical here means: object keys sorted, no insignificant whitespace; array order is significant.</remarks>
public sealed class StatusWriter<T, TStatus> where T : IObject where TStatus : class
{
    private readonly Func<T, TStatus?> _read;
    private readonly Func<T, TStatus, CancellationToken, Task<T>> _write;
    private readonly JsonTypeInfo<TStatus> _typeInfo;
    private readonly Informer<T>? _cache;
    private long _writes;
    private long _skips;

    /// <param name="read">The status the object carries now.</param>
    /// <param name="write">Stores the status (conditional on the object's resourceVersion) and returns the updated object.</param>
    /// <param name="typeInfo">Source-generated JSON metadata for the status.</param>
    /// <param name="cache">The informer the reconciles read from; told of every write (<see cref="Informer{T}.RecordWrite"/>).</param>
    public StatusWriter(Func<T, TStatus?> read, Func<T, TStatus, CancellationToken, Task<T>> write, JsonTypeInfo<TStatus> typeInfo, Informer<T>? cache = null)
    {
        _read = read;
        _write = write;
        _typeInfo = typeInfo;
        _cache = cache;
    }

    /// <summary>How many writes reached the store.</summary>
    public long Writes => Interlocked.Read(ref _writes);

    /// <summary>How many writes were skipped because nothing changed.</summary>
    public long Skips => Interlocked.Read(ref _skips);

    /// <summary>Stores <paramref name="status"/> unless the object already carries an equal one; returns the object as stored.</summary>
    public async Task<T> WriteAsync(T current, TStatus status, CancellationToken cancellationToken)
    {
        if (_read(current) is { } existing && Same(existing, status))
        {
            Interlocked.Increment(ref _skips);
            return current;
        }
        var updated = await _write(current, status, cancellationToken);
        _cache?.RecordWrite(updated);
        Interlocked.Increment(ref _writes);
        return updated;
    }

    /// <summary>True when both statuses have the same canonical JSON.</summary>
    /// <remarks>
    /// Equal serialized bytes are equal canonical JSON, and a steady state is made of equal statuses: comparing bytes
    /// first spares every resync of every object two node trees (the canonical form is built only when they differ).
    /// </remarks>
    public bool Same(TStatus left, TStatus right) =>
        JsonSerializer.SerializeToUtf8Bytes(left, _typeInfo).AsSpan().SequenceEqual(JsonSerializer.SerializeToUtf8Bytes(right, _typeInfo))
        || string.Equals(Canonical(left), Canonical(right), StringComparison.Ordinal);

    private string Canonical(TStatus status)
    {
        var node = JsonSerializer.SerializeToNode(status, _typeInfo);
        return Sorted(node)?.ToJsonString() ?? "null";
    }

    private static JsonNode? Sorted(JsonNode? node) => node switch
    {
        JsonObject obj => new JsonObject(obj.OrderBy(p => p.Key, StringComparer.Ordinal)
            .Select(p => KeyValuePair.Create(p.Key, Sorted(p.Value)))),
        JsonArray array => new JsonArray([.. array.Select(Sorted)]),
        null => null,
        _ => node.DeepClone(),
    };
}
