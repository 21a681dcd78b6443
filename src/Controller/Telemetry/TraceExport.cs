using OpenTelemetry;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Telemetry;

/// <summary>Exports the controller's spans over OTLP when the standard <c>OTEL_EXPORTER_OTLP_ENDPOINT</c> is set.</summary>
public static class TraceExport
{
    public const string EndpointVariable = "OTEL_EXPORTER_OTLP_ENDPOINT";
    public const string ServiceName = "reconciler";

    /// <summary>A tracer provider for the runtime and AWS client spans, or null when no OTLP endpoint is configured.</summary>
    /// <remarks>The exporter reads the other <c>OTEL_EXPORTER_OTLP_*</c> variables (protocol, headers) itself.</remarks>
    public static TracerProvider? Start(Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        if (string.IsNullOrWhiteSpace(environment(EndpointVariable)))
        {
            return null;
        }
        return Sdk.CreateTracerProviderBuilder()
            .ConfigureResource(resource => resource.AddService(ServiceName, serviceVersion: Cli.VersionInfoCommand.Version))
            .AddSource(RuntimeTracing.SourceName)
            .AddAwsClientInstrumentation()
            .AddOtlpExporter()
            .Build();
    }
}
