using System.CommandLine;
using Amazon.Runtime;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Reconciler.Controller.Store;

namespace Reconciler.Controller.Cli;

/// <summary>
/// The store selection every store-using command shares: <c>--store</c>, <c>--region</c>, <c>--endpoint-url</c>,
/// falling back to <c>RECONCILER_STORE</c>, <c>AWS_REGION</c>, <c>AWS_ENDPOINT_URL_DYNAMODB</c> / <c>AWS_ENDPOINT_URL</c>.
/// </summary>
public sealed class StoreOptions
{
    public const string StoreVariable = "RECONCILER_STORE";

    public Option<string?> Store { get; } = new("--store")
    {
        Description = $"Where specs live: sqlite:<path> (default sqlite:{SqliteStoreOptions.DefaultPath}) or dynamodb:<table>. Env: {StoreVariable}.",
        HelpName = "sqlite:<path>|dynamodb:<table>",
    };

    public Option<string?> Region { get; } = new("--region") { Description = "AWS region of the DynamoDB table. Env: AWS_REGION." };

    public Option<string?> EndpointUrl { get; } = new("--endpoint-url")
    {
        Description = "DynamoDB endpoint, e.g. a local dynalite. Env: AWS_ENDPOINT_URL_DYNAMODB, then AWS_ENDPOINT_URL.",
    };

    public void AddTo(Command command)
    {
        command.Options.Add(Store);
        command.Options.Add(Region);
        command.Options.Add(EndpointUrl);
    }

    /// <exception cref="FormatException">The selection is malformed (a usage error).</exception>
    public StoreLocation Resolve(ParseResult parse) => StoreLocation.Parse(
        parse.GetValue(Store) ?? Environment.GetEnvironmentVariable(StoreVariable),
        parse.GetValue(Region) ?? Environment.GetEnvironmentVariable("AWS_REGION") ?? Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION"),
        parse.GetValue(EndpointUrl) ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL_DYNAMODB") ?? Environment.GetEnvironmentVariable("AWS_ENDPOINT_URL"));

    /// <summary>
    /// Opens the selected store, runs <paramref name="body"/>, and turns the errors a store command can meet into
    /// a message on stderr and the documented exit code.
    /// </summary>
    /// <param name="streams">The DynamoDB Streams client a long-running watch reads (the controller); commands that do not watch pass none.</param>
    /// <param name="logger">Where the store logs its watch mode and the malformed items it skips (the controller's); none for one-shot commands.</param>
    public async Task<int> RunAsync(ParseResult parse, Func<ISpecStore, StoreLocation, Task<int>> body, CancellationToken cancellationToken, Aws.IDynamoDbStreamsClient? streams = null, ILogger? logger = null)
    {
        var error = parse.InvocationConfiguration.Error;
        StoreLocation location;
        try
        {
            location = Resolve(parse);
        }
        catch (FormatException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Usage;
        }
        try
        {
            var store = await location.OpenAsync(TimeProvider.System, logger ?? NullLogger.Instance, streams, cancellationToken);
            try
            {
                return await body(store, location);
            }
            finally
            {
                if (store is IAsyncDisposable disposable)
                {
                    await disposable.DisposeAsync();
                }
            }
        }
        catch (StoreException e)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException e)
        {
            await error.WriteLineAsync($"error: store {location}: {e.Message} (create it with `reconciler store init`)");
            return ExitCodes.Failure;
        }
        catch (AmazonClientException e)
        {
            // AmazonServiceException derives from it: an unreachable endpoint, missing credentials, a missing table.
            await error.WriteLineAsync($"error: store {location}: {e.Message}");
            return ExitCodes.Failure;
        }
        catch (Exception e) when (e is Microsoft.Data.Sqlite.SqliteException or HttpRequestException)
        {
            await error.WriteLineAsync($"error: store {location}: {e.Message}");
            return ExitCodes.Failure;
        }
    }
}
