using System.Diagnostics;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Engines.Pulumi.Automation;
using Reconciler.LocalCloud;
using Reconciler.Model.Documents;
using Reconciler.Model.Rendering;
using Reconciler.Model.Rendering.Pulumi;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Engines.Pulumi;

/// <summary>LocalCloud in-process, a file:// backend and a work folder in temporary directories, and the stand-in CLI built beside the tests.</summary>
internal sealed class StandInHarness : IAsyncDisposable
{
    private StandInHarness(EmbeddedCloud cloud, string root)
    {
        Cloud = cloud;
        Root = root;
        Directory.CreateDirectory(BackendFolder);
    }

    public EmbeddedCloud Cloud { get; }

    public string Root { get; }

    public string BackendFolder => Path.Combine(Root, "backend");

    public string CountFile => Path.Combine(Root, "invocations.txt");

    /// <summary>The stand-in's executable, from the same build configuration as the tests.</summary>
    public static string CliPath
    {
        get
        {
            var configuration = AppContext.BaseDirectory.Contains($"{Path.DirectorySeparatorChar}Release{Path.DirectorySeparatorChar}", StringComparison.Ordinal) ? "Release" : "Debug";
            return RepositoryPaths.Combine("src", "PulumiStandIn", "bin", configuration, "net10.0", "pulumi");
        }
    }

    public static async Task<StandInHarness> StartAsync()
    {
        var cloud = await EmbeddedCloud.StartAsync([]);
        return new StandInHarness(cloud, Directory.CreateTempSubdirectory("reconciler-pulumi-").FullName);
    }

    /// <summary>What every CLI run sees: the backend, LocalCloud with its test key, and the invocation counter.</summary>
    public Dictionary<string, string?> Environment(params (string Name, string? Value)[] extra)
    {
        var environment = new Dictionary<string, string?>
        {
            ["PULUMI_BACKEND_URL"] = "file://" + BackendFolder,
            ["AWS_ENDPOINT_URL"] = Cloud.Server.Endpoint.ToString(),
            ["AWS_ACCESS_KEY_ID"] = LocalCloudInfo.TestAccessKeyId,
            ["AWS_SECRET_ACCESS_KEY"] = LocalCloudInfo.TestSecretAccessKey,
            ["AWS_REGION"] = LocalCloudInfo.DefaultRegion,
            ["PULUMI_STANDIN_COUNT_FILE"] = CountFile,
        };
        foreach (var (name, value) in extra)
        {
            environment[name] = value;
        }
        return environment;
    }

    public LocalPulumiCommand Command(TimeSpan? grace = null) =>
        new(new LocalPulumiCommandOptions { Command = CliPath, InterruptGrace = grace ?? TimeSpan.FromSeconds(10) }, NullLogger.Instance);

    /// <summary>A workspace for one spec with its generated program written.</summary>
    public async Task<LocalWorkspace> WorkspaceAsync(string spec, PulumiProgram program, params (string Name, string? Value)[] extra)
    {
        var workspace = LocalWorkspace.Create(new LocalWorkspaceOptions
        {
            WorkDir = Path.Combine(Root, "work", spec),
            EnvironmentVariables = Environment(extra),
            PulumiCommand = Command(),
        });
        await workspace.SaveProjectAsync(program.ToYaml(), CancellationToken.None);
        return workspace;
    }

    public static (PulumiPipeline Document, DesiredState Desired) Spec(string sample, string name)
    {
        var document = EndToEnd.ControllerHarness.Named(EndToEnd.ControllerHarness.Sample(sample), name);
        document = document with { Metadata = document.Metadata with { Uid = $"uid-{name}" } };
        return (document, PipelineRenderer.Render(document));
    }

    public int Invocations(string command) =>
        File.Exists(CountFile) ? File.ReadAllLines(CountFile).Count(l => l.Split(' ').Skip(1).Contains(command)) : 0;

    /// <summary>Runs the stand-in directly with exactly these arguments.</summary>
    public async Task<CommandResult> RunAsync(IReadOnlyList<string> args, string workDir, IReadOnlyDictionary<string, string?> environment)
    {
        var start = new ProcessStartInfo(CliPath) { WorkingDirectory = workDir, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in args)
        {
            start.ArgumentList.Add(arg);
        }
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        using var process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        return new CommandResult(process.ExitCode, await stdout, await stderr);
    }

    public async ValueTask DisposeAsync()
    {
        await Cloud.DisposeAsync();
        Directory.Delete(Root, recursive: true);
    }
}
