using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Web;

/// <summary>A minimal Kestrel app serving <c>/healthz</c> (the process answers), <c>/readyz</c> (every check ready) and <c>/metrics</c> (Prometheus).</summary>
public sealed class HealthServer : IAsyncDisposable
{
    private readonly WebApplication app;

    private HealthServer(WebApplication app) => this.app = app;

    /// <summary>The address it listens on, with the port actually bound.</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Builds and starts the server.</summary>
    public static async Task<HealthServer> StartAsync(HealthServerOptions options, IReadOnlyList<IReadinessCheck> checks, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        if (loggerFactory is not null)
        {
            builder.Services.AddSingleton(loggerFactory);
        }
        builder.WebHost.UseKestrel(kestrel => kestrel.Listen(IPAddress.Parse(options.BindAddress), options.Port));
        builder.Services.AddOpenTelemetry().WithMetrics(metrics =>
        {
            metrics.AddMeter(RuntimeMetrics.MeterName);
            // The AWS clients' meter and Polly's, whose resilience events (retries, breaker) they report.
            metrics.AddAwsClientInstrumentation();
            foreach (var meter in options.Meters ?? [])
            {
                metrics.AddMeter(meter);
            }
            metrics.AddPrometheusExporter();
        });
        var app = builder.Build();
        app.MapGet("/healthz", () => Results.Text("ok\n"));
        app.MapGet("/readyz", () =>
        {
            var results = checks.Select(c => c.CheckReadiness()).ToList();
            var ready = results.All(r => r.Ready);
            var body = string.Join('\n', results.Select(r => (r.Ready ? "ok: " : "not ready: ") + r.Detail)) + "\n";
            return Results.Text(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
        app.MapPrometheusScrapingEndpoint("/metrics");
        foreach (var route in options.Routes ?? [])
        {
            route(app);
        }
        await app.StartAsync(cancellationToken);
        var server = new HealthServer(app);
        var bound = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is not null)
        {
            server.Address = new Uri(bound);
        }
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await app.StopAsync();
        await app.DisposeAsync();
    }
}
