using System.CommandLine;
using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Amazon.Runtime;
using Reconciler.Controller.Aws;
using Reconciler.LocalCloud;
using Reconciler.Model.Aws;

namespace Reconciler.Bench;

/// <summary>
/// <c>wire</c>: BatchGetProjects calls per second through the AWS client against in-process LocalCloud, and the
/// client's overhead over a bare <see cref="HttpClient"/> POST of the same body, measured in the same run.
/// </summary>
/// <remarks>
/// Both paths share one connection pool and one LocalCloud with signature checks off, so the difference is the
/// client's own work: serialization, SigV4, the resilience pipeline, span and metrics, response parsing. Rounds
/// alternate between the two paths so that drift (JIT, GC, a busy machine) lands on both.
/// </remarks>
internal static class WireScenario
{
    public static Task<int> RunAsync(string[] args, CancellationToken cancellationToken) =>
        Create().Parse(args).InvokeAsync(cancellationToken: cancellationToken);

    private static Command Create()
    {
        var calls = new Option<int>("--calls") { Description = "Calls per round and path", DefaultValueFactory = _ => 2000 };
        var rounds = new Option<int>("--rounds") { Description = "Measured rounds (each runs both paths)", DefaultValueFactory = _ => 5 };
        var names = new Option<int>("--names") { Description = "Project names per BatchGetProjects call (1..100)", DefaultValueFactory = _ => 10 };
        var telemetry = new Option<bool>("--telemetry") { Description = "Listen to the client's spans and metrics, as an OpenTelemetry host would" };
        var command = new RootCommand("BatchGetProjects calls/second against in-process LocalCloud, and the client's overhead over a bare HttpClient POST");
        command.Options.Add(calls);
        command.Options.Add(rounds);
        command.Options.Add(names);
        command.Options.Add(telemetry);
        command.SetAction(async (ParseResult parse, CancellationToken ct) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var settings = (Calls: parse.GetValue(calls), Rounds: parse.GetValue(rounds), Names: parse.GetValue(names), Telemetry: parse.GetValue(telemetry));
            if (settings.Calls < 1 || settings.Rounds < 1 || settings.Names is < 1 or > 100)
            {
                await parse.InvocationConfiguration.Error.WriteLineAsync("--calls and --rounds must be positive, --names between 1 and 100");
                return 2;
            }
            await RunAsync(settings, output, ct);
            return 0;
        });
        return command;
    }

    private static async Task RunAsync((int Calls, int Rounds, int Names, bool Telemetry) settings, TextWriter output, CancellationToken ct)
    {
        await using var cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions { Signatures = SignatureVerification.Off }, ct);
        var names = Enumerable.Range(0, settings.Names).Select(i => $"bench-{i:D3}").ToList();

        using var listeners = settings.Telemetry ? new TelemetryListeners() : null;
        using var handler = new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) };
        using var http = new HttpClient(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
        using var awsTelemetry = new AwsTelemetry();
        var options = new AwsClientOptions
        {
            Region = LocalCloudInfo.DefaultRegion,
            EndpointUrl = cloud.Endpoint,
            Credentials = new BasicAWSCredentials(LocalCloudInfo.TestAccessKeyId, LocalCloudInfo.TestSecretAccessKey),
            // A bucket that never runs dry: its cost is measured, its limit is not.
            RateLimit = new AwsRateLimitSettings { PermitsPerSecond = 1_000_000, Burst = 1_000_000 },
        };
        using var wire = new AwsJsonClient(AwsService.CodeBuild, options, http, awsTelemetry, environment: _ => null);
        var client = new CodeBuildClient(wire);
        foreach (var name in names.Take((settings.Names + 1) / 2))
        {
            await client.CreateProjectAsync(Project(name), ct);
        }

        var body = Encoding.UTF8.GetBytes(new JsonObject { ["names"] = new JsonArray([.. names.Select(n => (JsonNode)n)]) }.ToJsonString());
        var bare = new BareAwsPost(http, cloud.Endpoint, "CodeBuild_20161006.BatchGetProjects", body);

        async Task ClientCall()
        {
            var result = await client.BatchGetProjectsAsync(names, ct);
            if (result.Projects.Count + result.ProjectsNotFound.Count != names.Count)
            {
                throw new InvalidOperationException("BatchGetProjects answered the wrong number of projects");
            }
        }

        // Warm-up: JIT, connection pool, LocalCloud's own paths.
        await LatencySample.MeasureAsync(Math.Min(500, settings.Calls), ClientCall);
        await LatencySample.MeasureAsync(Math.Min(500, settings.Calls), bare.SendAsync);

        var clientRounds = new List<LatencySample>();
        var bareRounds = new List<LatencySample>();
        for (var round = 0; round < settings.Rounds; round++)
        {
            clientRounds.Add(await LatencySample.MeasureAsync(settings.Calls, ClientCall));
            bareRounds.Add(await LatencySample.MeasureAsync(settings.Calls, bare.SendAsync));
        }
        var measuredClient = LatencySample.Merge(clientRounds);
        var measuredBare = LatencySample.Merge(bareRounds);

        var served = cloud.Counters["CodeBuild.BatchGetProjects"];
        await output.WriteLineAsync($"wire: BatchGetProjects of {settings.Names} names ({(settings.Names + 1) / 2} found) against in-process LocalCloud, sequential, {settings.Rounds} rounds x {settings.Calls} calls per path, telemetry listeners {(settings.Telemetry ? "on" : "off")}");
        await output.WriteLineAsync($"{"path",-12} {"calls/s",10} {"mean us",10} {"p50 us",10} {"p99 us",10}");
        foreach (var (label, sample) in new[] { ("client", measuredClient), ("bare http", measuredBare) })
        {
            await output.WriteLineAsync($"{label,-12} {sample.CallsPerSecond,10:F0} {sample.MeanMicroseconds,10:F1} {sample.Percentile(50),10:F1} {sample.Percentile(99),10:F1}");
        }
        await output.WriteLineAsync($"client overhead: {measuredClient.MeanMicroseconds - measuredBare.MeanMicroseconds:F1} us per call, ratio client/bare mean latency {measuredClient.MeanMicroseconds / measuredBare.MeanMicroseconds:F2}");
        await output.WriteLineAsync($"LocalCloud served {served.Succeeded} BatchGetProjects ({served.Failed} failed)");
    }

    private static CodeBuildProject Project(string name) => new()
    {
        Name = name,
        Source = new ProjectSource { Type = "GITHUB", Location = "https://github.com/acme/website.git", Buildspec = "version: 0.2\nphases:\n  build:\n    commands:\n      - pulumi preview\n" },
        Artifacts = new ProjectArtifacts { Type = "NO_ARTIFACTS" },
        Environment = new ProjectEnvironment { Type = "LINUX_CONTAINER", Image = "aws/codebuild/standard:7.0", ComputeType = "BUILD_GENERAL1_SMALL" },
        ServiceRole = "arn:aws:iam::123456789012:role/pulumi-codebuild",
        TimeoutInMinutes = 60,
        Tags = [new AwsTag { Key = OwnershipTags.ManagedBy, Value = OwnershipTags.ManagedByValue }],
    };

    /// <summary>The baseline: a POST of pre-serialized bytes with the AWS JSON headers, the answer read as bytes.</summary>
    private sealed class BareAwsPost(HttpClient http, Uri endpoint, string target, byte[] body)
    {
        private readonly MediaTypeHeaderValue _contentType = new("application/x-amz-json-1.1");

        public async Task SendAsync()
        {
            using var request = new HttpRequestMessage(HttpMethod.Post, endpoint) { Content = new ByteArrayContent(body) };
            request.Content.Headers.ContentType = _contentType;
            request.Headers.TryAddWithoutValidation("X-Amz-Target", target);
            using var response = await http.SendAsync(request);
            var bytes = await response.Content.ReadAsByteArrayAsync();
            if (!response.IsSuccessStatusCode || bytes.Length == 0)
            {
                throw new InvalidOperationException($"bare POST answered {(int)response.StatusCode}");
            }
        }
    }

    /// <summary>Listens to the client's activity source and meter the way an OpenTelemetry SDK would.</summary>
    private sealed class TelemetryListeners : IDisposable
    {
        private readonly ActivityListener _activities = new()
        {
            ShouldListenTo = source => source.Name == AwsTelemetry.ActivitySourceName,
            Sample = (ref ActivityCreationOptions<ActivityContext> _) => ActivitySamplingResult.AllDataAndRecorded,
        };

        private readonly MeterListener _meters = new();

        public TelemetryListeners()
        {
            ActivitySource.AddActivityListener(_activities);
            _meters.InstrumentPublished = (instrument, listener) =>
            {
                if (instrument.Meter.Name is AwsTelemetry.MeterName or AwsTelemetry.PollyMeterName)
                {
                    listener.EnableMeasurementEvents(instrument);
                }
            };
            _meters.SetMeasurementEventCallback<long>((_, _, _, _) => { });
            _meters.SetMeasurementEventCallback<double>((_, _, _, _) => { });
            _meters.SetMeasurementEventCallback<int>((_, _, _, _) => { });
            _meters.Start();
        }

        public void Dispose()
        {
            _activities.Dispose();
            _meters.Dispose();
        }
    }
}
