using Reconciler.Model.Planning;
using Reconciler.Model.Rendering;

namespace Reconciler.Controller.Engines;

/// <summary>What an engine needs to converge one spec: who owns the resources, what is wanted, what is there, and the plan between.</summary>
/// <param name="Adopt">The document asked to take over resources that carry its names but not its tags.</param>
public sealed record ConvergeRequest(OwnershipIdentity Owner, bool Adopt, DesiredState Desired, LiveState Live, Plan Plan);
