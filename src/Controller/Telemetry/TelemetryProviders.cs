using Microsoft.Extensions.Logging;
using OpenTelemetry;
using OpenTelemetry.Logs;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Telemetry;

/// <summary>
/// The one place OpenTelemetry is wired: the resource, the sources and meters, and OTLP export of traces, metrics and
/// logs, each switched on by the standard <c>OTEL_EXPORTER_OTLP_*</c> variables (the exporter reads protocol, headers
/// and timeouts itself). Prometheus scraping of the same meters is the web server's (<c>/metrics</c>).
/// </summary>
public sealed class TelemetryProviders : IDisposable
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";

    /// <summary>Every activity source the controller and the CLI start spans on.</summary>
    public static IReadOnlyList<string> SourceNames { get; } = [RuntimeTracing.SourceName, AwsTelemetry.ActivitySourceName, CliTracing.SourceName];

    /// <summary>Every meter the controller reports on.</summary>
    public static IReadOnlyList<string> MeterNames { get; } =
        [RuntimeMetrics.MeterName, PipelineMetrics.MeterName, AwsTelemetry.MeterName, AwsTelemetry.PollyMeterName, StoreTelemetry.MeterName, StatusMetrics.MeterName, SyncMetrics.MeterName];

    private readonly TracerProvider? _tracing;
    private readonly MeterProvider? _metrics;

    private TelemetryProviders(IReadOnlyDictionary<string, object> attributes, TracerProvider? tracing, MeterProvider? metrics, bool exportLogs)
    {
        Attributes = attributes;
        _tracing = tracing;
        _metrics = metrics;
        ExportsLogs = exportLogs;
    }

    /// <summary>The resource attributes every exported signal carries.</summary>
    public IReadOnlyDictionary<string, object> Attributes { get; }

    public bool ExportsTraces => _tracing is not null;

    public bool ExportsMetrics => _metrics is not null;

    public bool ExportsLogs { get; }

    /// <summary>Reads the resource (ECS metadata included when present) and starts the OTLP exporters the environment asks for.</summary>
    public static async Task<TelemetryProviders> StartAsync(Func<string, string?>? environment = null, HttpClient? http = null, CancellationToken cancellationToken = default)
    {
        environment ??= Environment.GetEnvironmentVariable;
        IReadOnlyDictionary<string, object> ecs;
        if (http is null)
        {
            using var own = new HttpClient();
            ecs = await EcsResourceAttributes.ReadAsync(own, environment, cancellationToken);
        }
        else
        {
            ecs = await EcsResourceAttributes.ReadAsync(http, environment, cancellationToken);
        }
        return Start(TelemetryResource.Attributes(environment, ecs), environment);
    }

    /// <summary>Starts the exporters for already-resolved attributes.</summary>
    public static TelemetryProviders Start(IReadOnlyDictionary<string, object> attributes, Func<string, string?> environment)
    {
        TracerProvider? tracing = null;
        if (Exports(environment, "TRACES"))
        {
            tracing = Sdk.CreateTracerProviderBuilder()
                .SetResourceBuilder(TelemetryResource.Builder(attributes))
                .AddSource([.. SourceNames])
                .AddOtlpExporter()
                .Build();
        }
        MeterProvider? metrics = null;
        if (Exports(environment, "METRICS"))
        {
            metrics = Sdk.CreateMeterProviderBuilder()
                .SetResourceBuilder(TelemetryResource.Builder(attributes))
                .AddMeter([.. MeterNames])
                .AddOtlpExporter()
                .Build();
        }
        return new TelemetryProviders(attributes, tracing, metrics, Exports(environment, "LOGS"));
    }

    /// <summary>
    /// Console logs on one line with the current trace and span ids (so a line can be found from its trace), and
    /// OTLP logs, which carry the ids natively, when the environment asks for them.
    /// </summary>
    public ILoggingBuilder ConfigureLogging(ILoggingBuilder builder, LogLevel level)
    {
        builder.SetMinimumLevel(level)
            .Configure(options => options.ActivityTrackingOptions = ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId)
            .AddSimpleConsole(console =>
            {
                console.SingleLine = true;
                console.IncludeScopes = true;
                console.TimestampFormat = "HH:mm:ss ";
            });
        if (ExportsLogs)
        {
            var attributes = Attributes;
            builder.AddOpenTelemetry(logs =>
            {
                logs.SetResourceBuilder(TelemetryResource.Builder(attributes));
                logs.IncludeFormattedMessage = true;
                logs.AddOtlpExporter();
            });
        }
        return builder;
    }

    // OTEL_EXPORTER_OTLP_ENDPOINT switches on every signal, OTEL_EXPORTER_OTLP_<SIGNAL>_ENDPOINT one of them;
    // OTEL_<SIGNAL>_EXPORTER=none switches one off (e.g. metrics, where a collector scrapes /metrics instead).
    private static bool Exports(Func<string, string?> environment, string signal) =>
        !string.Equals(environment($"OTEL_{signal}_EXPORTER")?.Trim(), "none", StringComparison.OrdinalIgnoreCase)
        && (!string.IsNullOrWhiteSpace(environment(EndpointVariable)) || !string.IsNullOrWhiteSpace(environment($"OTEL_EXPORTER_OTLP_{signal}_ENDPOINT")));

    public void Dispose()
    {
        _tracing?.Dispose();
        _metrics?.Dispose();
    }
}
