using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Aws;

/// <summary>The service clients built from one set of options, sharing one HTTP connection pool.</summary>
public sealed class AwsClients : IDisposable
{
    private readonly HttpClient http;
    private readonly AwsJsonClient[] wires;

    /// <param name="handler">The HTTP handler (owned by this object); null uses a pooled <see cref="SocketsHttpHandler"/>.</param>
    public AwsClients(
        AwsClientOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        HttpMessageHandler? handler = null,
        Func<string, string?>? environment = null)
    {
        http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Telemetry = new AwsTelemetry(meterFactory);
        AwsJsonClient Wire(AwsService service) => new(service, options, http, Telemetry, timeProvider, loggerFactory, environment);
        wires = [Wire(AwsService.CodeBuild), Wire(AwsService.CodePipeline), Wire(AwsService.DynamoDbStreams), Wire(AwsService.Ssm), Wire(AwsService.SecretsManager)];
        CodeBuild = new CodeBuildClient(wires[0]);
        CodePipeline = new CodePipelineClient(wires[1]);
        DynamoDbStreams = new DynamoDbStreamsClient(wires[2]);
        Ssm = new SsmClient(wires[3]);
        SecretsManager = new SecretsManagerClient(wires[4]);
    }

    public ICodeBuildClient CodeBuild { get; }

    public ICodePipelineClient CodePipeline { get; }

    public IDynamoDbStreamsClient DynamoDbStreams { get; }

    public ISsmClient Ssm { get; }

    public ISecretsManagerClient SecretsManager { get; }

    public AwsTelemetry Telemetry { get; }

    /// <summary>The clients the composition root shares with its parts.</summary>
    public AwsServices Services => new(CodeBuild, CodePipeline, Ssm, SecretsManager);

    public void Dispose()
    {
        foreach (var wire in wires)
        {
            wire.Dispose();
        }
        http.Dispose();
        Telemetry.Dispose();
    }
}
