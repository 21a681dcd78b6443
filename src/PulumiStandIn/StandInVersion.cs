namespace Reconciler.PulumiStandIn;

/// <summary>The CLI version the stand-in follows (the contract in <c>pulumi-cli/</c> was read from it).</summary>
internal static class StandInVersion
{
    public const string Version = "v3.259.0";
}
