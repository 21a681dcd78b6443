namespace Reconciler.LocalCloud;

/// <summary>Identity LocalCloud reports for the resources it serves.</summary>
public static class LocalCloudInfo
{
    public const string DefaultAccountId = "123456789012";
    public const string DefaultRegion = "us-east-1";
}
