using Reconciler.Model.Planning;
using Reconciler.Model.Validation.Rules;

namespace Reconciler.Model.Validation;

/// <summary>
/// The annotations that change what the controller does with a spec although its spec (and so its generation)
/// stays the same: a change to one must reach the reconciler through the predicate, and invalidate a remembered
/// validation verdict.
/// </summary>
public static class SpecAnnotations
{
    /// <summary><c>reconciler.io/adopt</c> and <c>reconciler.io/plaintext-variables</c>.</summary>
    public static IReadOnlyList<string> ThatMatter { get; } = [OwnershipIdentity.AdoptAnnotation, EnvironmentRules.PlainTextAnnotation];
}
