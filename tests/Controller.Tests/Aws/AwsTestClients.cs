using Amazon.Runtime;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>Client options for tests: one endpoint, test keys, fast retries, no environment.</summary>
public static class AwsTestClients
{
    public const string AccessKey = "AKIDEXAMPLE";
    public const string SecretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";

    public static AwsClientOptions Options(Uri endpoint) => new()
    {
        Region = "us-east-1",
        EndpointUrl = endpoint,
        Credentials = new BasicAWSCredentials(AccessKey, SecretKey),
        Retry = new AwsRetrySettings { MaxRetryAttempts = 6, BaseDelay = TimeSpan.FromMilliseconds(1), MaxDelay = TimeSpan.FromMilliseconds(20) },
        RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 0 },
    };

    public static AwsClients Create(AwsClientOptions options, TimeProvider? timeProvider = null) =>
        new(options, timeProvider: timeProvider, environment: _ => null);
}
