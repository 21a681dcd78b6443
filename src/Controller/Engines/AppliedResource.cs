using Reconciler.Model.Planning;

namespace Reconciler.Controller.Engines;

/// <summary>One resource an apply changed, with the ARN the service answered and what was done.</summary>
public sealed record AppliedResource(ResourceKind Kind, string Name, string? Arn, StepAction Action);
