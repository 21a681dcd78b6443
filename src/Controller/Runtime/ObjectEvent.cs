using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>The kind of change a watch reports.</summary>
public enum ObjectEventType
{
    Added,
    Modified,
    Deleted,
}

/// <summary>One change seen by a watch; <see cref="Version"/> is the bookmark to resume after it.</summary>
public sealed record ObjectEvent<T>(ObjectEventType Type, T Object, string? Version) where T : IObject;
