namespace Reconciler.Controller.Store;

/// <summary>
/// Hands out one instance for equal short strings read from stored documents (kinds, phases, condition reasons and
/// messages, roles, images, branches...), so a cache of 100,000 documents holds each such value once, not 100,000 times.
/// </summary>
/// <remarks>
/// A fixed table of slots, one string each, chosen by hash: a value meets the last one in its slot or takes the slot.
/// Memory stays bounded whatever is read; values unique to one document (names, uids, ARNs) only pass through, and a
/// common value they push out takes its slot back the next time it is read. Races between threads lose sharing, never
/// correctness: the value handed out is always equal to the one given.
/// </remarks>
public sealed class SharedStrings(int slots = SharedStrings.DefaultSlots)
{
    /// <summary>Slots in the default table (a 64 KB array).</summary>
    public const int DefaultSlots = 8192;

    /// <summary>Longer values are rarely repeated, and comparing them costs more than sharing them saves.</summary>
    public const int MaxLength = 256;

    private readonly string?[] _slots = new string?[Math.Max(1, slots)];

    /// <summary>The shared instance equal to <paramref name="value"/>.</summary>
    public string Share(string value)
    {
        if (value.Length == 0)
        {
            return string.Empty;
        }
        if (value.Length > MaxLength)
        {
            return value;
        }
        var slot = (int)((uint)value.GetHashCode() % (uint)_slots.Length);
        if (Volatile.Read(ref _slots[slot]) is { } held && string.Equals(held, value, StringComparison.Ordinal))
        {
            return held;
        }
        Volatile.Write(ref _slots[slot], value);
        return value;
    }
}
