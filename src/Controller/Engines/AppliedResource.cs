using Reconciler.Model.Documents;
using Reconciler.Model.Planning;

namespace Reconciler.Controller.Engines;

/// <summary>One resource an apply changed, with the ARN the service answered and what was done.</summary>
/// <param name="Observed">For a pipeline the engine read again after its change and found as desired: its version and update time then.</param>
public sealed record AppliedResource(ResourceKind Kind, string Name, string? Arn, StepAction Action, ObservedPipeline? Observed = null);
