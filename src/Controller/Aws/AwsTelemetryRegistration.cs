using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;

namespace Reconciler.Controller.Aws;

/// <summary>Enables the AWS client spans and metrics (ours and Polly's) in the host's OpenTelemetry providers.</summary>
public static class AwsTelemetryRegistration
{
    public static TracerProviderBuilder AddAwsClientInstrumentation(this TracerProviderBuilder builder) =>
        builder.AddSource(AwsTelemetry.ActivitySourceName);

    public static MeterProviderBuilder AddAwsClientInstrumentation(this MeterProviderBuilder builder) =>
        builder.AddMeter(AwsTelemetry.MeterName, AwsTelemetry.PollyMeterName);
}
