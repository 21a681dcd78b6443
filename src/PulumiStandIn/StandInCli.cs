using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.PulumiStandIn.Aws;
using Reconciler.PulumiStandIn.Backend;
using Reconciler.PulumiStandIn.CommandLine;
using Reconciler.PulumiStandIn.Engine;

namespace Reconciler.PulumiStandIn;

/// <summary>The stand-in's commands: what each does with the backend, the project folder and the cloud, and its exit code.</summary>
internal static class StandInCli
{
    private static readonly JsonSerializerOptions Json = new() { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static async Task<int> RunAsync(string[] args, Func<string, string?> environment, TextWriter stdout, TextWriter stderr, CancellationToken interrupt)
    {
        CountInvocation(args, environment);
        try
        {
            var command = ParsedCommand.Parse(args, FlagContract.Embedded, environment);
            return await DispatchAsync(command, environment, stdout, interrupt);
        }
        catch (UsageException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Error;
        }
        catch (StandInException ex)
        {
            await stderr.WriteLineAsync($"error: {ex.Message}");
            return ex.ExitCode;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            // The real CLI's panic handler prints this banner on stderr and exits 1.
            await stderr.WriteLineAsync($"The Pulumi CLI encountered a fatal error. This is a bug!\n{ex}");
            return ExitCodes.Error;
        }
    }

    private static async Task<int> DispatchAsync(ParsedCommand command, Func<string, string?> environment, TextWriter stdout, CancellationToken interrupt)
    {
        var folder = new ProjectFolder(Path.GetFullPath(command.Value("cwd") ?? Directory.GetCurrentDirectory()));
        switch (command.Command)
        {
            case "" when command.Bool("version"):
            case "version":
                await stdout.WriteLineAsync(StandInVersion.Version);
                return ExitCodes.Success;
            case "":
                await stdout.WriteLineAsync("Usage: pulumi [command] (a stand-in for the Pulumi CLI; see docs/pulumi-engine.md)");
                return ExitCodes.Success;
            case "whoami":
                var backendUrl = environment("PULUMI_BACKEND_URL") ?? "";
                await stdout.WriteLineAsync(command.Bool("json")
                    ? new JsonObject { ["user"] = Environment.UserName, ["organizations"] = new JsonArray(), ["url"] = backendUrl }.ToJsonString(Json)
                    : Environment.UserName);
                return ExitCodes.Success;
            case "login":
            case "install":
                return ExitCodes.Success;
        }

        var backend = DiyBackend.FromEnvironment(environment);
        var project = folder.ProjectName;
        switch (command.Command)
        {
            case "stack select":
            {
                var stack = StackName(command, positional: true);
                if (!backend.Exists(project, stack))
                {
                    if (!command.Bool("create"))
                    {
                        throw DiyBackend.NotFound(project, stack);
                    }
                    backend.Create(project, stack);
                }
                return ExitCodes.Success;
            }
            case "stack init":
                backend.Create(project, StackName(command, positional: true));
                return ExitCodes.Success;
            case "stack rm":
            {
                var stack = StackName(command, positional: true);
                RequireYes(command, ExitCodes.Error);
                backend.Remove(project, stack, command.Bool("force"));
                if (!command.Bool("preserve-config") && File.Exists(folder.ConfigFile(stack)))
                {
                    File.Delete(folder.ConfigFile(stack));
                }
                await stdout.WriteLineAsync($"Stack '{stack}' has been removed!");
                return ExitCodes.Success;
            }
            case "stack ls":
                await stdout.WriteLineAsync(new JsonArray(backend.Stacks(project).Select(s => (JsonNode?)new JsonObject
                {
                    ["name"] = s,
                    ["current"] = false,
                    ["updateInProgress"] = Directory.Exists(backend.LockFolder(project, s)) && Directory.GetFiles(backend.LockFolder(project, s)).Length > 0,
                    ["resourceCount"] = backend.Load(project, s).Resources.Count,
                    ["url"] = $"file://{backend.StackFile(project, s)}",
                }).ToArray()).ToJsonString(Json));
                return ExitCodes.Success;
            case "stack output":
                backend.Load(project, StackName(command));
                await stdout.WriteLineAsync("{}");
                return ExitCodes.Success;
            case "stack history":
            {
                var stack = StackName(command);
                backend.Load(project, stack);
                var entries = backend.History(project, stack);
                var size = int.TryParse(command.Value("page-size"), CultureInfo.InvariantCulture, out var s) && s > 0 ? s : entries.Count;
                var page = int.TryParse(command.Value("page"), CultureInfo.InvariantCulture, out var p) && p > 0 ? p : 1;
                await stdout.WriteLineAsync(new JsonArray(entries.Skip((page - 1) * size).Take(size).Select(e => (JsonNode?)e).ToArray()).ToJsonString(Json));
                return ExitCodes.Success;
            }
            case "stack" when command.Arguments.Count > 0:
                // stack export, stack import and the rest are outside the Automation API's contract (flags.json).
                throw new StandInException($"the stand-in does not implement `pulumi stack {command.Arguments[0]}`");
            case "stack":
                backend.Load(project, StackName(command));
                await stdout.WriteLineAsync($"Current stack is {StackName(command)}");
                return ExitCodes.Success;
            case "config":
            {
                var stack = StackName(command);
                backend.Load(project, stack);
                var all = new JsonObject();
                foreach (var (key, value) in folder.Config(stack))
                {
                    var secret = value is JsonObject;
                    all[key] = new JsonObject
                    {
                        ["value"] = secret && !command.Bool("show-secrets") ? "[secret]" : ProjectFolder.Reveal(value),
                        ["secret"] = secret,
                    };
                }
                await stdout.WriteLineAsync(all.ToJsonString(Json));
                return ExitCodes.Success;
            }
            case "config set":
            {
                var stack = StackName(command);
                backend.Load(project, stack);
                if (command.Arguments.Count is < 1 or > 2)
                {
                    throw new UsageException($"accepts between 1 and 2 arg(s), received {command.Arguments.Count}");
                }
                var value = command.Arguments.Count == 2 ? command.Arguments[1] : Console.In.ReadToEnd().TrimEnd('\n');
                var config = folder.Config(stack);
                config[ConfigKey(project, command.Arguments[0])] = command.Bool("secret") ? ProjectFolder.Secure(value) : value;
                folder.SaveConfig(stack, config);
                return ExitCodes.Success;
            }
            case "config set-all":
            {
                var stack = StackName(command);
                backend.Load(project, stack);
                var config = folder.Config(stack);
                foreach (var pair in command.Values("plaintext").Select(v => (v, false)).Concat(command.Values("secret").Select(v => (v, true))))
                {
                    var eq = pair.v.IndexOf('=', StringComparison.Ordinal);
                    if (eq <= 0)
                    {
                        throw new StandInException($"could not parse {pair.v} as a configuration key/value pair");
                    }
                    var value = pair.v[(eq + 1)..];
                    config[ConfigKey(project, pair.v[..eq])] = pair.Item2 ? ProjectFolder.Secure(value) : value;
                }
                folder.SaveConfig(stack, config);
                return ExitCodes.Success;
            }
            case "config get":
            {
                var stack = StackName(command);
                backend.Load(project, stack);
                var key = ConfigKey(project, command.Arguments.FirstOrDefault() ?? throw new UsageException("accepts 1 arg(s), received 0"));
                var value = folder.Config(stack)[key] ?? throw new StandInException($"configuration key '{key}' not found for stack '{stack}'");
                var text = ProjectFolder.Reveal(value);
                await stdout.WriteLineAsync(command.Bool("json")
                    ? new JsonObject { ["value"] = text, ["secret"] = value is JsonObject }.ToJsonString(Json)
                    : text);
                return ExitCodes.Success;
            }
            case "config rm":
            case "config rm-all":
            {
                var stack = StackName(command);
                backend.Load(project, stack);
                var config = folder.Config(stack);
                foreach (var key in command.Arguments)
                {
                    config.Remove(ConfigKey(project, key));
                }
                folder.SaveConfig(stack, config);
                return ExitCodes.Success;
            }
            case "cancel":
            {
                var stack = StackName(command, positional: true);
                RequireYes(command, ExitCodes.Error);
                backend.Load(project, stack);
                backend.Cancel(project, stack);
                await stdout.WriteLineAsync($"The currently running update for '{stack}' has been canceled!");
                return ExitCodes.Success;
            }
            case "up":
                return await UpdateAsync(UpdateKind.Update, command, folder, backend, project, environment, stdout, interrupt);
            case "preview":
                return await UpdateAsync(UpdateKind.Preview, command, folder, backend, project, environment, stdout, interrupt);
            case "refresh":
                return await UpdateAsync(UpdateKind.Refresh, command, folder, backend, project, environment, stdout, interrupt);
            case "destroy":
                return await UpdateAsync(UpdateKind.Destroy, command, folder, backend, project, environment, stdout, interrupt);
            default:
                throw new StandInException($"the stand-in does not implement `pulumi {command.Command}`");
        }
    }

    private static async Task<int> UpdateAsync(
        UpdateKind kind, ParsedCommand command, ProjectFolder folder, DiyBackend backend, string project,
        Func<string, string?> environment, TextWriter stdout, CancellationToken interrupt)
    {
        var previewOnly = command.Bool("preview-only");
        if (previewOnly && command.Bool("yes"))
        {
            throw new StandInException("--yes and --preview-only cannot be used together");
        }
        if (previewOnly && command.Bool("skip-preview"))
        {
            throw new StandInException("--skip-preview and --preview-only cannot be used together");
        }
        if (kind != UpdateKind.Preview && !previewOnly && !command.Bool("yes") && !command.Bool("skip-preview")
            && environment("PULUMI_SKIP_CONFIRMATIONS") is not ("true" or "1"))
        {
            throw new StandInException("--yes or --skip-preview or --preview-only must be passed in to proceed when running in non-interactive mode",
                kind == UpdateKind.Refresh ? ExitCodes.Error : ExitCodes.Configuration);
        }
        var stack = StackName(command);
        backend.Load(project, stack);
        var program = kind is UpdateKind.Update or UpdateKind.Preview ? folder.Resources() : [];
        var config = folder.Config(stack);
        var region = (string?)config["aws:region"] ?? environment("AWS_REGION") ?? "us-east-1";
        var dryRun = kind == UpdateKind.Preview || previewOnly;
        var lockPath = dryRun ? null : backend.Lock(project, stack, environment);
        try
        {
            using var aws = dryRun ? null : AwsWireClient.FromEnvironment(environment, region);
            using var events = new EventLog(command.Value("event-log"));
            var deployment = new Deployment(backend, project, stack, events, environment,
                aws is null ? null : new ResourceProvider(aws), stdout, interrupt);
            var result = await deployment.RunAsync(dryRun ? UpdateKind.Preview : kind, program, config, command.Bool("clear-pending-creates"));
            if (result.Result == "canceled")
            {
                throw new StandInException("update cancelled", ExitCodes.Cancelled);
            }
            if (result.Result == "failed")
            {
                // A failed update is a "bail": its diagnostics were the report; the exit code says the rest.
                return ExitCodes.Error;
            }
            if (command.Bool("expect-no-changes") && result.Changes.Any(c => c.Key != "same" && c.Value > 0))
            {
                throw new StandInException($"no changes were expected for {(kind == UpdateKind.Refresh ? "refresh" : "update")} but changes were proposed", 7);
            }
            return ExitCodes.Success;
        }
        finally
        {
            if (lockPath is not null)
            {
                File.Delete(lockPath);
            }
        }
    }

    private static string StackName(ParsedCommand command, bool positional = false)
    {
        var flag = command.Value("stack");
        var argument = positional ? command.Arguments.FirstOrDefault() : null;
        if (flag is not null && argument is not null)
        {
            throw new StandInException("only one of --stack or argument stack name may be specified, not both");
        }
        var name = flag ?? argument;
        if (string.IsNullOrEmpty(name))
        {
            throw new StandInException("no stack selected; specify a stack name with --stack", ExitCodes.StackNotFound);
        }
        // organization/project/stack or project/stack: the stand-in's stacks live under the folder's project.
        return name[(name.LastIndexOf('/') + 1)..];
    }

    private static string ConfigKey(string project, string key) => key.Contains(':', StringComparison.Ordinal) ? key : $"{project}:{key}";

    private static void RequireYes(ParsedCommand command, int exitCode)
    {
        if (!command.Bool("yes"))
        {
            throw new StandInException("--yes must be passed in to proceed when running in non-interactive mode", exitCode);
        }
    }

    private static void CountInvocation(string[] args, Func<string, string?> environment)
    {
        var path = environment(Knobs.CountFile);
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        var line = Encoding.UTF8.GetBytes($"{Environment.ProcessId} {string.Join(' ', args)}\n");
        // Many CLI processes append at once: a named mutex (shared between processes) gives each its write alone,
        // so waiting is on the other writer, never on a time.
        using var mutex = new Mutex(false, "reconciler-pulumi-standin-count-" + Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(path))))[..16]);
        try
        {
            mutex.WaitOne();
        }
        catch (AbandonedMutexException)
        {
            // A writer killed mid-write (the interruption knob does that) leaves the mutex to us; its line is whole or absent.
        }
        try
        {
            using var stream = new FileStream(path, FileMode.Append, FileAccess.Write, FileShare.ReadWrite);
            stream.Write(line);
        }
        finally
        {
            mutex.ReleaseMutex();
        }
    }
}
