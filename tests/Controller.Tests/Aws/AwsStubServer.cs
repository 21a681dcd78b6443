using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Tests.Aws;

/// <summary>One request as the stub saw it.</summary>
public sealed record StubRequest(string Method, string Path, string Target, string? ContentType, IReadOnlyDictionary<string, string> Headers, byte[] Body)
{
    public string Operation => Target[(Target.IndexOf('.', StringComparison.Ordinal) + 1)..];

    public string BodyText => System.Text.Encoding.UTF8.GetString(Body);
}

/// <summary>What the stub answers.</summary>
public sealed record StubResponse(int Status, string Body, string? ContentType = "application/x-amz-json-1.1", IReadOnlyDictionary<string, string>? Headers = null)
{
    /// <summary>Drops the connection without an answer: a transport error for the client.</summary>
    public static StubResponse Abort { get; } = new(-1, "");

    public static StubResponse Ok(string body) => new(200, body, Headers: new Dictionary<string, string> { ["x-amzn-RequestId"] = "req-ok" });

    public static StubResponse Error(int status, string type, string message = "boom", string requestId = "req-err") =>
        new(status, $$"""{"__type":"{{type}}","message":"{{message}}"}""", Headers: new Dictionary<string, string> { ["x-amzn-RequestId"] = requestId });
}

/// <summary>A Kestrel server on 127.0.0.1 (free port) that answers as an AWS endpoint (a JSON API, the ECS task metadata endpoint) with whatever a test decides.</summary>
/// <remarks>It stands in for an AWS endpoint where a test needs answers and errors under its exact control.</remarks>
public sealed class AwsStubServer : IAsyncDisposable
{
    private readonly WebApplication _app;

    private AwsStubServer(WebApplication app, Uri url)
    {
        _app = app;
        Url = url;
    }

    public Uri Url { get; }

    public ConcurrentQueue<StubRequest> Requests { get; } = new();

    public int Count(string operation) => Requests.Count(r => r.Operation == operation);

    /// <summary>Answers a GET of each listed path with its JSON body and anything else with 404, as the ECS task metadata endpoint does.</summary>
    public static Task<AwsStubServer> StartAsync(IReadOnlyDictionary<string, string> jsonByPath) =>
        StartAsync(r => r.Method == HttpMethods.Get && jsonByPath.TryGetValue(r.Path, out var json)
            ? new StubResponse(200, json, "application/json")
            : new StubResponse(404, "", ContentType: null));

    public static Task<AwsStubServer> StartAsync(Func<StubRequest, StubResponse> handler) =>
        StartAsync((request, _) => Task.FromResult(handler(request)));

    public static async Task<AwsStubServer> StartAsync(Func<StubRequest, CancellationToken, Task<StubResponse>> handler)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        var app = builder.Build();
        AwsStubServer? server = null;
        app.Run(async context =>
        {
            using var buffer = new MemoryStream();
            await context.Request.Body.CopyToAsync(buffer, context.RequestAborted);
            var headers = context.Request.Headers.ToDictionary(h => h.Key.ToLowerInvariant(), h => h.Value.ToString());
            var request = new StubRequest(context.Request.Method, context.Request.Path.Value ?? "", context.Request.Headers["X-Amz-Target"].ToString(), context.Request.ContentType, headers, buffer.ToArray());
            server!.Requests.Enqueue(request);
            var response = await handler(request, context.RequestAborted);
            if (response.Status < 0)
            {
                context.Abort();
                return;
            }
            context.Response.StatusCode = response.Status;
            if (response.ContentType is not null)
            {
                context.Response.ContentType = response.ContentType;
            }
            foreach (var (name, value) in response.Headers ?? new Dictionary<string, string>())
            {
                context.Response.Headers[name] = value;
            }
            await context.Response.WriteAsync(response.Body, context.RequestAborted);
        });
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new AwsStubServer(app, new Uri(address));
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }
}
