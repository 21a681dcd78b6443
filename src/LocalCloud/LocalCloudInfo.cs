namespace Reconciler.LocalCloud;

/// <summary>Identity LocalCloud reports for the resources it serves, and the public test key pair it can verify signatures with.</summary>
public static class LocalCloudInfo
{
    public const string DefaultAccountId = "123456789012";
    public const string DefaultRegion = "us-east-1";

    /// <summary>A published, worthless key pair for local signature checks (not a secret: it opens nothing but LocalCloud).</summary>
    public const string TestAccessKeyId = "AKIALOCALCLOUDTEST00";

    public const string TestSecretAccessKey = "localcloud/test/secret/access/key/0000000";

    /// <summary>Where the admin API lives, under the endpoint's root.</summary>
    public const string AdminPrefix = "/_localcloud";
}
