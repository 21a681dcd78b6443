namespace Reconciler.LocalCloud;

/// <summary>How LocalCloud checks request signatures: not at all, shape and scope only, or full SigV4 recomputation with known keys.</summary>
public abstract record SignatureVerification
{
    private SignatureVerification()
    {
    }

    /// <summary>Accept unsigned requests.</summary>
    public static SignatureVerification Off { get; } = new OffMode();

    /// <summary>Require a well-formed SigV4 Authorization header scoped to the right service and region (any key, signature not recomputed).</summary>
    public static SignatureVerification RequireSigned { get; } = new RequireSignedMode();

    /// <summary>Recompute every signature with the secret of its access key; unknown keys and mismatches are rejected.</summary>
    public static SignatureVerification VerifyWithKeys(IReadOnlyDictionary<string, string> secretsByAccessKeyId) =>
        new VerifyWithKeysMode(secretsByAccessKeyId);

    /// <summary>Accepts unsigned requests.</summary>
    public sealed record OffMode : SignatureVerification;

    /// <summary>Requires a well-formed, correctly scoped signature.</summary>
    public sealed record RequireSignedMode : SignatureVerification;

    /// <summary>Recomputes signatures with the known secrets.</summary>
    public sealed record VerifyWithKeysMode(IReadOnlyDictionary<string, string> SecretsByAccessKeyId) : SignatureVerification
    {
        // Records print their members; the secrets must never reach a log line.
        public override string ToString() => $"VerifyWithKeys({string.Join(", ", SecretsByAccessKeyId.Keys)})";
    }
}
