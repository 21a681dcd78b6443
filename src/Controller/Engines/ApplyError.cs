using Reconciler.Model.Planning;

namespace Reconciler.Controller.Engines;

/// <summary>One step that failed: which resource, what was tried, the service's error code and message (never request data).</summary>
public sealed record ApplyError(ResourceKind Kind, string Name, StepAction Action, string Code, string Message)
{
    public override string ToString() => $"{Action.ToString().ToLowerInvariant()} {Kind}/{Name}: {Code}: {Message}";
}
