using Microsoft.Extensions.Time.Testing;
using Reconciler.LocalCloud;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>One LocalCloud per test class, verifying signatures with the test keys, on a fake clock.</summary>
public sealed class LocalCloudFixture : IAsyncLifetime
{
    public static readonly DateTimeOffset Start = new(2025, 3, 1, 12, 0, 0, TimeSpan.Zero);

    private HttpClient? _http;
    private LocalCloudServer? _server;

    public FakeTimeProvider Time { get; } = new(Start);

    public LocalCloudServer Server => _server ?? throw new InvalidOperationException("not started");

    internal AwsJsonTestClient Client { get; private set; } = null!;

    /// <summary>A name no other test of the class uses.</summary>
    public static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..(prefix.Length + 13)];

    public async Task InitializeAsync()
    {
        _server = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            Signatures = SignatureVerification.VerifyWithKeys(new Dictionary<string, string>
            {
                [LocalCloudInfo.TestAccessKeyId] = LocalCloudInfo.TestSecretAccessKey,
            }),
            PageSize = 3,
            TimeProvider = Time,
        });
        _http = new HttpClient();
        Client = new AwsJsonTestClient(_http, _server.Endpoint, Time, LocalCloudInfo.TestAccessKeyId, LocalCloudInfo.TestSecretAccessKey, LocalCloudInfo.DefaultRegion);
    }

    public async Task DisposeAsync()
    {
        _http?.Dispose();
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
