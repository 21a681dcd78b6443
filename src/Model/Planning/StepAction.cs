namespace Reconciler.Model.Planning;

/// <summary>What a plan step does to its resource.</summary>
public enum StepAction
{
    Create,
    Update,
    Delete,
    /// <summary>Strip the ownership tags and leave the resource alone (deletionPolicy Retain).</summary>
    Release,
}
