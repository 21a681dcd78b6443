using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Reconciler.LocalCloud;
using Reconciler.LocalCloud.Faults;
using Reconciler.LocalCloud.State;

namespace Reconciler.Controller.Aws;

/// <summary>
/// LocalCloud started in-process on a free loopback port, holding the given Parameter Store parameters and Secrets Manager secrets, with the
/// controller's real AWS clients pointed at it and signing with LocalCloud's public test key: the embedded default
/// of <c>demo</c>, and what the end-to-end tests and benchmarks run against.
/// </summary>
public sealed class EmbeddedCloud : IAsyncDisposable
{
    private EmbeddedCloud(LocalCloudServer server, AwsClients clients)
    {
        Server = server;
        Clients = clients;
    }

    public LocalCloudServer Server { get; }

    public AwsClients Clients { get; }

    /// <param name="parameters">Parameter Store names to create (metadata only), e.g. the samples' token parameter.</param>
    /// <param name="clientOptions">Changes to the client options; the endpoint, region and credentials are set here.</param>
    /// <param name="secrets">Secrets Manager names to create (metadata only, one AWSCURRENT version).</param>
    /// <param name="time">LocalCloud's clock (injected latencies, timestamps, signature ages); a test drives a fake one.</param>
    public static async Task<EmbeddedCloud> StartAsync(
        IReadOnlyList<string> parameters,
        FaultSettings? faults = null,
        Func<AwsClientOptions, AwsClientOptions>? clientOptions = null,
        ILoggerFactory? loggers = null,
        IReadOnlyList<string>? secrets = null,
        TimeProvider? time = null,
        CancellationToken cancellationToken = default)
    {
        var server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            Signatures = SignatureVerification.VerifyWithKeys(new Dictionary<string, string>
            {
                [LocalCloudInfo.TestAccessKeyId] = LocalCloudInfo.TestSecretAccessKey,
            }),
            Faults = faults ?? FaultSettings.None,
            TimeProvider = time ?? TimeProvider.System,
        }, cancellationToken);
        foreach (var name in parameters)
        {
            server.State.AddParameter(name);
        }
        foreach (var name in secrets ?? [])
        {
            server.State.AddSecret(name);
        }
        var options = ClientOptionsFor(server.Endpoint);
        options = clientOptions?.Invoke(options) ?? options;
        // The endpoint must not come from the environment of whoever runs the demo.
        var clients = new AwsClients(options, loggers, environment: _ => null);
        return new EmbeddedCloud(server, clients);
    }

    /// <summary>Client options for a LocalCloud at <paramref name="endpoint"/> (in this process or another) that verifies with its public test key.</summary>
    public static AwsClientOptions ClientOptionsFor(Uri endpoint) => new()
    {
        Region = LocalCloudInfo.DefaultRegion,
        EndpointUrl = endpoint,
        Credentials = new BasicAWSCredentials(LocalCloudInfo.TestAccessKeyId, LocalCloudInfo.TestSecretAccessKey),
        // Loopback answers in a millisecond: retry quickly, and do not hold the controller to AWS's rates.
        Retry = new AwsRetrySettings { BaseDelay = TimeSpan.FromMilliseconds(20), MaxDelay = TimeSpan.FromSeconds(1), MaxRetryAttempts = 8 },
        RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 0 },
        CircuitBreaker = new AwsCircuitBreakerSettings { Enabled = false },
    };

    public async ValueTask DisposeAsync()
    {
        Clients.Dispose();
        await Server.DisposeAsync();
    }
}
