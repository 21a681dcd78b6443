using Microsoft.Extensions.Logging;
using Reconciler.LocalCloud.Faults;

namespace Reconciler.LocalCloud;

/// <summary>How a <see cref="LocalCloudServer"/> runs: where it listens, who it claims to be, how it checks signatures, where it keeps state, which faults it injects.</summary>
public sealed record LocalCloudOptions
{
    /// <summary>The loopback port; 0 picks a free one (see <see cref="LocalCloudServer.Endpoint"/>).</summary>
    public int Port { get; init; }

    public string AccountId { get; init; } = LocalCloudInfo.DefaultAccountId;

    public string Region { get; init; } = LocalCloudInfo.DefaultRegion;

    public SignatureVerification Signatures { get; init; } = SignatureVerification.RequireSigned;

    /// <summary>A JSON snapshot of the state: loaded at start when it exists, written after every change and at shutdown.</summary>
    public string? StateFile { get; init; }

    public FaultSettings Faults { get; init; } = FaultSettings.None;

    /// <summary>The page size of list operations when the request names none (AWS pages at 100).</summary>
    public int PageSize { get; init; } = 100;

    /// <summary>The clock of every timestamp, signature expiry and injected latency.</summary>
    public TimeProvider TimeProvider { get; init; } = TimeProvider.System;

    /// <summary>Where Kestrel and LocalCloud log; null logs nowhere.</summary>
    public ILoggerFactory? LoggerFactory { get; init; }
}
