using System.Globalization;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Engines.Pulumi.Automation;

namespace Reconciler.Controller.Engines.Pulumi;

/// <summary>Registers <see cref="PulumiEngine"/>: each spec a Pulumi stack, converged by the <c>pulumi</c> CLI through our Automation API.</summary>
public sealed class PulumiEngineDefinition : IEngineDefinition
{
    public static readonly EngineSetting Cli = new("pulumi-cli", "RECONCILER_PULUMI_CLI", "the Pulumi CLI to run (path, or a name on PATH)", "pulumi");

    public static readonly EngineSetting WorkDir = new("pulumi-workdir", "RECONCILER_PULUMI_WORKDIR",
        "root of the per-spec stack folders (Pulumi.yaml, Pulumi.<stack>.yaml)", Path.Combine(".reconciler", "pulumi"));

    public static readonly EngineSetting Concurrency = new("pulumi-concurrency", "RECONCILER_PULUMI_CONCURRENCY", "Pulumi CLI processes at once", "4");

    public static readonly EngineSetting CancelStaleLocks = new("pulumi-cancel-stale-locks", "RECONCILER_PULUMI_CANCEL_STALE_LOCKS",
        "off, or an age such as 30m: run pulumi cancel on a stack lock of this controller's user whose process on this host has ended or that is older than the age, then recover the update's state",
        "off");

    public string Name => PulumiEngine.EngineName;

    public string Description => "each spec a Pulumi stack: a generated YAML program applied by the pulumi CLI (backend from PULUMI_BACKEND_URL or PULUMI_ACCESS_TOKEN)";

    public IReadOnlyList<EngineSetting> Settings => [Cli, WorkDir, Concurrency, CancelStaleLocks];

    /// <summary>Checks the settings, then that the CLI runs at all (<c>pulumi version</c>), before the controller starts.</summary>
    public void Validate(IReadOnlyDictionary<string, string> settings)
    {
        var options = Options(settings);
        try
        {
            var command = new LocalPulumiCommand(new LocalPulumiCommandOptions { Command = options.Cli }, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);
            command.VersionAsync(CancellationToken.None).GetAwaiter().GetResult();
        }
        catch (Exception ex) when (ex is PulumiCliUnavailableException or CommandException)
        {
            throw new FormatException($"--{Cli.Name}: the Pulumi CLI does not run ({ex.Message}); install it with its YAML and AWS plugins, or point --{Cli.Name} at it", ex);
        }
    }

    public IConvergeEngine Create(EngineContext context) =>
        new PulumiEngine(Options(context.Settings), context.Loggers.CreateLogger<PulumiEngine>(), context.Time);

    internal static PulumiEngineOptions Options(IReadOnlyDictionary<string, string> settings)
    {
        var concurrencyText = settings.GetValueOrDefault(Concurrency.Name, Concurrency.Default!);
        if (!int.TryParse(concurrencyText, NumberStyles.None, CultureInfo.InvariantCulture, out var concurrency) || concurrency < 1)
        {
            throw new FormatException($"--{Concurrency.Name}: '{concurrencyText}' is not a positive whole number");
        }
        var cancelText = settings.GetValueOrDefault(CancelStaleLocks.Name, CancelStaleLocks.Default!);
        TimeSpan? cancelAfter;
        try
        {
            cancelAfter = cancelText == "off" ? null : Reconciler.Controller.Cli.Settings.ParseDuration(cancelText);
        }
        catch (FormatException ex)
        {
            throw new FormatException($"--{CancelStaleLocks.Name}: '{cancelText}' is neither off nor a duration such as 30m", ex);
        }
        return new PulumiEngineOptions
        {
            CancelStaleLocksAfter = cancelAfter,
            Cli = settings.GetValueOrDefault(Cli.Name, Cli.Default!),
            WorkDir = settings.GetValueOrDefault(WorkDir.Name, WorkDir.Default!),
            Concurrency = concurrency,
            Region = Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") ?? "us-east-1",
        };
    }
}
