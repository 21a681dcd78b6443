using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Amazon.DynamoDBv2;
using Amazon.Runtime;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Tests.Dynalite;

/// <summary>
/// A dynalite (in-memory DynamoDB) process on a free loopback port, started once per test collection and killed
/// on dispose. Tests get their own table from <see cref="NewTableAsync"/>, so they do not see each other's items.
/// </summary>
public sealed class DynaliteServer : IAsyncLifetime
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);
    private Process? _process;
    private int _tables;

    public Uri Endpoint { get; private set; } = new("http://127.0.0.1");

    /// <summary>Fake credentials and the region the tests sign for; dynalite checks neither.</summary>
    public static IReadOnlyDictionary<string, string> ClientEnvironment { get; } = new Dictionary<string, string>
    {
        ["AWS_ACCESS_KEY_ID"] = "test",
        ["AWS_SECRET_ACCESS_KEY"] = "test",
        ["AWS_REGION"] = "us-east-1",
        ["AWS_EC2_METADATA_DISABLED"] = "true",
    };

    public async Task InitializeAsync()
    {
        var cli = Path.Combine(RepositoryRoot(), "tests", "dynalite", "node_modules", "dynalite", "cli.js");
        if (!File.Exists(cli))
        {
            throw new InvalidOperationException($"dynalite is not installed at {cli}: run `npm ci --prefix tests/dynalite` (./test.sh does)");
        }
        var port = FreePort();
        var start = new ProcessStartInfo("node")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var argument in new[] { cli, "--host", "127.0.0.1", "--port", port.ToString(System.Globalization.CultureInfo.InvariantCulture), "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0" })
        {
            start.ArgumentList.Add(argument);
        }
        var listening = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        _process = new Process { StartInfo = start, EnableRaisingEvents = true };
        _process.OutputDataReceived += (_, line) =>
        {
            if (line.Data?.Contains("listening", StringComparison.OrdinalIgnoreCase) == true)
            {
                listening.TrySetResult();
            }
        };
        _process.ErrorDataReceived += (_, _) => { };
        _process.Exited += (_, _) => listening.TrySetException(new InvalidOperationException("dynalite exited before it listened"));
        _process.Start();
        _process.BeginOutputReadLine();
        _process.BeginErrorReadLine();
        using var timeout = new CancellationTokenSource(StartTimeout);
        await listening.Task.WaitAsync(timeout.Token);
        Endpoint = new Uri($"http://127.0.0.1:{port}");
        using var client = CreateClient();
        await client.ListTablesAsync(new Amazon.DynamoDBv2.Model.ListTablesRequest(), timeout.Token);
    }

    public AmazonDynamoDBClient CreateClient() =>
        new(new BasicAWSCredentials("test", "test"), new AmazonDynamoDBConfig
        {
            ServiceURL = Endpoint.ToString(),
            AuthenticationRegion = "us-east-1",
            MaxErrorRetry = 2,
        });

    /// <summary>Creates a fresh spec table (and its lease table) the way <c>reconciler store init</c> does.</summary>
    public async Task<DynamoDbStoreOptions> NewTableAsync(string prefix = "specs")
    {
        var options = new DynamoDbStoreOptions { TableName = $"{prefix}-{Interlocked.Increment(ref _tables)}-{Guid.NewGuid():N}"[..40], WatchPollInterval = TimeSpan.FromMilliseconds(25) };
        using var client = CreateClient();
        await DynamoDbTables.EnsureAsync(client, options, TimeProvider.System, CancellationToken.None);
        return options;
    }

    public Task DisposeAsync()
    {
        if (_process is { HasExited: false })
        {
            _process.Kill(entireProcessTree: true);
            _process.WaitForExit(10_000);
        }
        _process?.Dispose();
        return Task.CompletedTask;
    }

    internal static string RepositoryRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Reconciler.sln")))
            {
                return directory.FullName;
            }
        }
        throw new InvalidOperationException($"no Reconciler.sln above {AppContext.BaseDirectory}");
    }

    private static int FreePort()
    {
        // dynalite's CLI treats port 0 as "default 4567", so ask the OS for a free port and hand it over.
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }
}

/// <summary>One dynalite process shared by every test class in the "dynalite" collection.</summary>
[CollectionDefinition(Name)]
public sealed class DynaliteCollection : ICollectionFixture<DynaliteServer>
{
    public const string Name = "dynalite";
}
