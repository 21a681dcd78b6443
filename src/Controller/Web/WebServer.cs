using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using OpenTelemetry.Metrics;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Telemetry;

namespace Reconciler.Controller.Web;

/// <summary>
/// The process's one Kestrel server. Parts add their routes (<see cref="IWebRoutes"/>) before it starts; the metrics
/// exporter behind <see cref="MetricsRoutes"/> is registered here because it must exist before the app is built.
/// </summary>
public sealed class WebServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private bool _started;

    private WebServer(WebApplication app) => _app = app;

    /// <summary>The address it listens on, with the port actually bound (known once started).</summary>
    public Uri Address { get; private set; } = new("http://127.0.0.1");

    /// <summary>Builds the server (not started): add routes, then <see cref="StartAsync(CancellationToken)"/>.</summary>
    public static WebServer Create(WebServerOptions options, ILoggerFactory? loggerFactory = null)
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
            // .NET's own: collections per generation, heap sizes, working set, so a memory regression shows on /metrics.
            metrics.AddMeter("System.Runtime");
            // The AWS clients' meter and Polly's, whose resilience events (retries, breaker) they report.
            metrics.AddAwsClientInstrumentation();
            foreach (var meter in options.Meters ?? [])
            {
                metrics.AddMeter(meter);
            }
            metrics.AddPrometheusExporter();
        });
        return new WebServer(builder.Build());
    }

    /// <summary>Builds and starts a server with these routes (what a test or a one-off tool needs).</summary>
    public static async Task<WebServer> StartAsync(WebServerOptions options, IReadOnlyList<IWebRoutes> routes, ILoggerFactory? loggerFactory = null, CancellationToken cancellationToken = default)
    {
        var server = Create(options, loggerFactory);
        foreach (var route in routes)
        {
            server.Add(route);
        }
        await server.StartAsync(cancellationToken);
        return server;
    }

    /// <summary>Adds a part's endpoints.</summary>
    /// <exception cref="InvalidOperationException">The server has started: routes are fixed from then on.</exception>
    public void Add(IWebRoutes routes)
    {
        if (_started)
        {
            throw new InvalidOperationException("routes are added before the web server starts");
        }
        routes.Map(_app);
    }

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _started = true;
        await _app.StartAsync(cancellationToken);
        var bound = _app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.FirstOrDefault();
        if (bound is not null)
        {
            Address = new Uri(bound);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_started)
        {
            await _app.StopAsync();
        }
        await _app.DisposeAsync();
    }
}
