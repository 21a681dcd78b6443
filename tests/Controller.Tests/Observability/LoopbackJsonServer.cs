using System.Net;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>A loopback HTTP server answering fixed paths with fixed JSON bodies, as the ECS task metadata endpoint does.</summary>
internal sealed class LoopbackJsonServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private LoopbackJsonServer(WebApplication app, Uri address)
    {
        _app = app;
        Address = address;
    }

    public Uri Address { get; }

    public static async Task<LoopbackJsonServer> StartAsync(IReadOnlyDictionary<string, string> bodies)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrel(k => k.Listen(IPAddress.Loopback, 0));
        var app = builder.Build();
        foreach (var (path, json) in bodies)
        {
            app.MapGet(path, () => Results.Text(json, "application/json", Encoding.UTF8));
        }
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new LoopbackJsonServer(app, new Uri(address));
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
