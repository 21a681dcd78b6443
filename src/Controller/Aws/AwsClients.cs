using System.Diagnostics.Metrics;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Aws;

/// <summary>The service clients built from one set of options, sharing one HTTP connection pool.</summary>
public sealed class AwsClients : IDisposable
{
    private readonly HttpClient _http;
    private readonly AwsJsonClient[] _wires;

    /// <param name="handler">The HTTP handler (owned by this object); null uses a pooled <see cref="SocketsHttpHandler"/>.</param>
    public AwsClients(
        AwsClientOptions options,
        ILoggerFactory? loggerFactory = null,
        TimeProvider? timeProvider = null,
        IMeterFactory? meterFactory = null,
        HttpMessageHandler? handler = null,
        Func<string, string?>? environment = null)
    {
        _http = new HttpClient(handler ?? new SocketsHttpHandler { PooledConnectionLifetime = TimeSpan.FromMinutes(5) })
        {
            Timeout = Timeout.InfiniteTimeSpan,
        };
        Telemetry = new AwsTelemetry(meterFactory);
        AwsJsonClient Wire(AwsService service) => new(service, options, _http, Telemetry, timeProvider, loggerFactory, environment);
        _wires = [Wire(AwsService.CodeBuild), Wire(AwsService.CodePipeline), Wire(AwsService.DynamoDbStreams), Wire(AwsService.Ssm), Wire(AwsService.SecretsManager)];
        CodeBuild = new CodeBuildClient(_wires[0]);
        CodePipeline = new CodePipelineClient(_wires[1]);
        DynamoDbStreams = new DynamoDbStreamsClient(_wires[2]);
        Ssm = new SsmClient(_wires[3]);
        SecretsManager = new SecretsManagerClient(_wires[4]);
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
        foreach (var wire in _wires)
        {
            wire.Dispose();
        }
        _http.Dispose();
        Telemetry.Dispose();
    }
}
