using System.CommandLine;
using Reconciler.LocalCloud;
using Reconciler.LocalCloud.Faults;

namespace Reconciler.Controller.Cli;

/// <summary><c>reconciler localcloud</c>: runs the LocalCloud endpoint alone until Ctrl-C, and says how to point AWS clients at it.</summary>
public static class LocalCloudCommand
{
    public static Command Create()
    {
        var port = new Option<int>("--port", "-p") { Description = "Loopback port to listen on (0 picks a free one).", DefaultValueFactory = _ => 0 };
        var stateFile = new Option<FileInfo?>("--state-file") { Description = "JSON file to load state from at start and save it to on every change." };
        var throttleRatio = new Option<double>("--throttle-ratio") { Description = "Share of requests answered 400 ThrottlingException (0..1).", DefaultValueFactory = _ => 0 };
        var errorRatio = new Option<double>("--error-ratio") { Description = "Share of requests answered 500 InternalFailure / 503 ServiceUnavailable (0..1).", DefaultValueFactory = _ => 0 };
        var latency = new Option<int>("--latency-ms") { Description = "Delay added before every answer, in milliseconds.", DefaultValueFactory = _ => 0 };
        var seed = new Option<int>("--seed") { Description = "Seed of the fault draws; the same seed gives the same faults.", DefaultValueFactory = _ => 0 };
        var verifyKeys = new Option<bool>("--verify-keys")
        {
            Description = "Recompute every SigV4 signature with the known key: AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY when set, else LocalCloud's public test key. Without it, any key is accepted but requests must still be signed for the right service and region.",
        };
        var region = new Option<string>("--region") { Description = "Region LocalCloud serves (signatures must be scoped to it).", DefaultValueFactory = _ => LocalCloudInfo.DefaultRegion };
        var account = new Option<string>("--account-id") { Description = "Account id in the ARNs LocalCloud answers.", DefaultValueFactory = _ => LocalCloudInfo.DefaultAccountId };
        var parameters = new Option<string[]>("--parameter")
        {
            Description = "Parameter Store name to hold (metadata only, SecureString), e.g. a spec's Pulumi token parameter; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };

        var secrets = new Option<string[]>("--secret")
        {
            Description = "Secrets Manager secret name to hold (metadata only, one AWSCURRENT version), e.g. a spec's Pulumi token secret; repeatable.",
            AllowMultipleArgumentsPerToken = false,
        };

        var command = new Command("localcloud", "Run LocalCloud, a local CodeBuild + CodePipeline (+ Parameter Store and Secrets Manager metadata) endpoint, until Ctrl-C.")
        {
            port, stateFile, throttleRatio, errorRatio, latency, seed, verifyKeys, region, account, parameters, secrets,
        };
        command.SetAction(async (ParseResult parse, CancellationToken cancellationToken) =>
        {
            var output = parse.InvocationConfiguration.Output;
            var error = parse.InvocationConfiguration.Error;
            var faults = FaultSettings.Everywhere(parse.GetValue(throttleRatio), parse.GetValue(errorRatio), parse.GetValue(latency), parse.GetValue(seed));
            var (signatures, keyLines) = Signatures(parse.GetValue(verifyKeys));
            var options = new LocalCloudOptions
            {
                Port = parse.GetValue(port),
                Region = parse.GetValue(region)!,
                AccountId = parse.GetValue(account)!,
                StateFile = parse.GetValue(stateFile)?.FullName,
                Faults = faults.Rules[0] == new FaultRule() ? FaultSettings.None : faults,
                Signatures = signatures,
            };
            LocalCloudServer server;
            try
            {
                faults.Validate();
                server = await LocalCloudServer.StartAsync(options, cancellationToken);
            }
            catch (Exception e) when (e is ArgumentException or InvalidDataException or IOException)
            {
                await error.WriteLineAsync($"localcloud: {e.Message}");
                return 1;
            }
            await using (server)
            {
                foreach (var name in parse.GetValue(parameters) ?? [])
                {
                    server.State.AddParameter(name);
                }
                foreach (var name in parse.GetValue(secrets) ?? [])
                {
                    server.State.AddSecret(name);
                }
                var url = server.Endpoint.GetLeftPart(UriPartial.Authority);
                await output.WriteLineAsync($"LocalCloud listening on {url} (account {options.AccountId}, region {options.Region}); Ctrl-C stops it.");
                await output.WriteLineAsync("Point AWS clients at it with:");
                await output.WriteLineAsync($"  export AWS_ENDPOINT_URL={url}");
                await output.WriteLineAsync($"  export AWS_REGION={options.Region}");
                foreach (var line in keyLines)
                {
                    await output.WriteLineAsync(line);
                }
                await output.WriteLineAsync($"Admin API: {url}{LocalCloudInfo.AdminPrefix}/requests, /faults, /state, /builds, /secrets, /reset-counters");
                await output.FlushAsync(cancellationToken);
                try
                {
                    await Task.Delay(Timeout.Infinite, cancellationToken);
                }
                catch (OperationCanceledException)
                {
                    // Ctrl-C: fall through to a clean stop (the state file is written on dispose).
                }
            }
            await output.WriteLineAsync("LocalCloud stopped.");
            return 0;
        });
        return command;
    }

    /// <summary>The verification mode, and what to tell the user about keys (a secret from the environment is never printed).</summary>
    private static (SignatureVerification Mode, IReadOnlyList<string> Lines) Signatures(bool verify)
    {
        if (!verify)
        {
            return (SignatureVerification.RequireSigned, ["  (any access key is accepted; requests must be SigV4-signed for this region)"]);
        }
        var keyId = Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID");
        var secret = Environment.GetEnvironmentVariable("AWS_SECRET_ACCESS_KEY");
        if (!string.IsNullOrEmpty(keyId) && !string.IsNullOrEmpty(secret))
        {
            return (SignatureVerification.VerifyWithKeys(new Dictionary<string, string> { [keyId] = secret }),
                [$"  (signatures are verified with the key {keyId} from this environment)"]);
        }
        return (SignatureVerification.VerifyWithKeys(new Dictionary<string, string> { [LocalCloudInfo.TestAccessKeyId] = LocalCloudInfo.TestSecretAccessKey }),
        [
            $"  export AWS_ACCESS_KEY_ID={LocalCloudInfo.TestAccessKeyId}",
            $"  export AWS_SECRET_ACCESS_KEY={LocalCloudInfo.TestSecretAccessKey}   # LocalCloud's published test key, not a secret",
        ]);
    }
}
