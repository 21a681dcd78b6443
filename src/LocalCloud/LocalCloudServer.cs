using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.LocalCloud.Faults;
using Reconciler.LocalCloud.Hosting;
using Reconciler.LocalCloud.Services;
using Reconciler.LocalCloud.Signing;
using Reconciler.LocalCloud.State;

namespace Reconciler.LocalCloud;

/// <summary>A wire-compatible CodeBuild + CodePipeline (+ Parameter Store metadata) endpoint on 127.0.0.1, in-process or standalone.</summary>
public sealed partial class LocalCloudServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Lock _saveLock = new();
    private readonly ILogger _logger;
    private int _disposed;

    private LocalCloudServer(WebApplication app, LocalCloudOptions options, CloudState state, RequestCounters counters, FaultInjector faults, ILogger logger)
    {
        _app = app;
        Options = options;
        State = state;
        Counters = counters;
        Faults = faults;
        _logger = logger;
    }

    public LocalCloudOptions Options { get; }

    /// <summary>The live resources; tests change them behind a client's back.</summary>
    public CloudState State { get; }

    public RequestCounters Counters { get; }

    public FaultInjector Faults { get; }

    /// <summary>The bound address, e.g. <c>http://127.0.0.1:41234/</c>.</summary>
    public Uri Endpoint { get; private set; } = null!;

    public ResourceArns Arns => State.Arns;

    /// <summary>Replaces the fault rules (and restarts their seeded draws).</summary>
    public void SetFaults(FaultSettings settings) => Faults.Set(settings);

    /// <summary>Starts listening; loads the state file first when there is one.</summary>
    /// <exception cref="InvalidDataException">The state file is not a LocalCloud snapshot.</exception>
    public static async Task<LocalCloudServer> StartAsync(LocalCloudOptions? options = null, CancellationToken cancellationToken = default)
    {
        options ??= new LocalCloudOptions();
        var loggerFactory = options.LoggerFactory ?? NullLoggerFactory.Instance;
        var logger = loggerFactory.CreateLogger<LocalCloudServer>();
        var state = new CloudState(new ResourceArns(options.Region, options.AccountId), options.TimeProvider);
        if (options.StateFile is { } file && StateFile.Load(file) is { } snapshot)
        {
            state.Restore(snapshot);
        }
        var counters = new RequestCounters();
        var faults = new FaultInjector(options.Faults);
        var services = new AwsJsonService[]
        {
            new CodeBuildService(state, options.PageSize),
            new CodePipelineService(state, options.PageSize),
            new SsmService(state),
            new SecretsManagerService(state),
        };
        var endpoint = new AwsJsonEndpoint(
            services,
            new SigV4Verifier(options.Signatures, options.Region, options.TimeProvider),
            faults,
            counters,
            options.TimeProvider,
            loggerFactory.CreateLogger<AwsJsonEndpoint>());
        var admin = new AdminApi(state, counters, faults);

        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions { ApplicationName = "LocalCloud" });
        builder.Services.AddSingleton(loggerFactory);
        builder.Services.AddLogging();
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.Listen(IPAddress.Loopback, options.Port);
            kestrel.AddServerHeader = false;
        });
        var app = builder.Build();
        app.Run(context => AdminApi.Handles(context.Request) ? admin.HandleAsync(context) : endpoint.HandleAsync(context));

        var server = new LocalCloudServer(app, options, state, counters, faults, logger);
        await app.StartAsync(cancellationToken);
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()?.Addresses.First()
            ?? throw new InvalidOperationException("Kestrel reported no bound address");
        server.Endpoint = new Uri(address.EndsWith('/') ? address : address + "/");
        if (options.StateFile is not null)
        {
            state.Changed += server.SaveState;
        }
        server.LogStarted(server.Endpoint, options.Region, options.AccountId, options.Signatures.ToString());
        return server;
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }
        State.Changed -= SaveState;
        await _app.StopAsync();
        await _app.DisposeAsync();
        SaveState();
    }

    private void SaveState()
    {
        if (Options.StateFile is not { } file)
        {
            return;
        }
        // The snapshot is taken inside the save lock, so the last writer always writes the newest state.
        lock (_saveLock)
        {
            StateFile.Save(file, State.Snapshot());
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "LocalCloud listening on {Endpoint} as account {AccountId} in {Region}, signatures {Signatures}")]
    private partial void LogStarted(Uri endpoint, string region, string accountId, string signatures);
}
