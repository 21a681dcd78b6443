using Reconciler.Controller.Aws;
using Reconciler.LocalCloud;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>A LocalCloud that recomputes every signature with its test keys, and client options pointed at it.</summary>
public sealed class LocalCloudClientFixture : IAsyncLifetime
{
    private LocalCloudServer? _server;

    public LocalCloudServer Server => _server ?? throw new InvalidOperationException("not started");

    public AwsClientOptions Options => new()
    {
        Region = LocalCloudInfo.DefaultRegion,
        EndpointUrl = Server.Endpoint,
        Credentials = new Amazon.Runtime.BasicAWSCredentials(LocalCloudInfo.TestAccessKeyId, LocalCloudInfo.TestSecretAccessKey),
        Retry = new AwsRetrySettings { MaxRetryAttempts = 6, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20) },
        RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 0 },
    };

    public AwsClients CreateClients(AwsClientOptions? options = null, TimeProvider? timeProvider = null) =>
        AwsTestClients.Create(options ?? Options, timeProvider);

    /// <summary>A name no other test uses; LocalCloud's state is shared by the tests of a class.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task InitializeAsync() =>
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            Signatures = SignatureVerification.VerifyWithKeys(new Dictionary<string, string>
            {
                [LocalCloudInfo.TestAccessKeyId] = LocalCloudInfo.TestSecretAccessKey,
            }),
            PageSize = 2,
        });

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
