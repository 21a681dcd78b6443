using Reconciler.Model.Documents;

namespace Reconciler.Controller.Runtime;

/// <summary>One page of a list; <see cref="Version"/> is where a watch resumes after the whole list.</summary>
public sealed record ObjectPage<T>(IReadOnlyList<T> Items, string? ContinueToken, string? Version) where T : IObject;
