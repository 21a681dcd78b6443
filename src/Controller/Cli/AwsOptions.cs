using System.CommandLine;
using System.Globalization;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Cli;

/// <summary>
/// The AWS client selection of the commands that call CodeBuild, CodePipeline and SSM: <c>--aws-region</c>,
/// <c>--aws-endpoint-url</c> and one endpoint per service, falling back to the SDK's environment variables
/// (<c>AWS_REGION</c>, <c>AWS_ENDPOINT_URL</c>, <c>AWS_ENDPOINT_URL_CODEBUILD</c>...).
/// </summary>
public sealed class AwsOptions
{
    public Option<string?> Region { get; } = new("--aws-region")
    {
        Description = "AWS region of CodeBuild, CodePipeline and SSM. Env: AWS_REGION, then AWS_DEFAULT_REGION.",
    };

    public Option<string?> EndpointUrl { get; } = new("--aws-endpoint-url")
    {
        Description = "One endpoint for CodeBuild, CodePipeline and SSM (e.g. LocalCloud). Env: AWS_ENDPOINT_URL.",
    };

    public Option<string?> CodeBuildEndpointUrl { get; } = new("--codebuild-endpoint-url") { Description = "CodeBuild endpoint. Env: AWS_ENDPOINT_URL_CODEBUILD." };

    public Option<string?> CodePipelineEndpointUrl { get; } = new("--codepipeline-endpoint-url") { Description = "CodePipeline endpoint. Env: AWS_ENDPOINT_URL_CODEPIPELINE." };

    public Option<string?> SsmEndpointUrl { get; } = new("--ssm-endpoint-url") { Description = "SSM (Parameter Store) endpoint. Env: AWS_ENDPOINT_URL_SSM." };

    public const string RateLimitVariable = "RECONCILER_AWS_RATE_LIMIT";

    public Option<string?> RateLimit { get; } = new("--aws-rate-limit")
    {
        Description = $"Requests per second to each AWS service, with bursts of twice that (default 20; 0 turns the client-side limit off). Env: {RateLimitVariable}.",
    };

    /// <summary>
    /// The clients the command line asks for, or null after printing <c>error: ...</c> to <paramref name="error"/>
    /// when the selection is unusable (a bad endpoint or rate limit, no region).
    /// </summary>
    public async Task<AwsClients?> CreateClientsAsync(ParseResult parse, TextWriter error)
    {
        try
        {
            return new AwsClients(Resolve(parse), environment: null);
        }
        catch (Exception e) when (e is InvalidOperationException or ArgumentException or FormatException)
        {
            await error.WriteLineAsync($"error: {e.Message}");
            return null;
        }
    }

    /// <summary>True for a failure to read live state from AWS (an error answer, no connection, the client's circuit open or rate limit).</summary>
    public static bool IsLiveReadFailure(Exception e) =>
        e is AwsApiException or HttpRequestException or Amazon.Runtime.AmazonClientException or Polly.ExecutionRejectedException;

    public void AddTo(Command command)
    {
        command.Options.Add(Region);
        command.Options.Add(EndpointUrl);
        command.Options.Add(CodeBuildEndpointUrl);
        command.Options.Add(CodePipelineEndpointUrl);
        command.Options.Add(SsmEndpointUrl);
        command.Options.Add(RateLimit);
    }

    /// <summary>The client options the command line asks for; what it leaves out comes from the environment.</summary>
    /// <exception cref="FormatException">An endpoint is not an absolute http(s) URL, or the rate limit is not a number of at least 0.</exception>
    public AwsClientOptions Resolve(ParseResult parse, AwsClientOptions? defaults = null)
    {
        var services = new Dictionary<string, Uri>(StringComparer.Ordinal);
        void Add(AwsService service, Option<string?> option)
        {
            if (Endpoint(parse, option) is { } uri)
            {
                services[service.EndpointId] = uri;
            }
        }
        Add(AwsService.CodeBuild, CodeBuildEndpointUrl);
        Add(AwsService.CodePipeline, CodePipelineEndpointUrl);
        Add(AwsService.Ssm, SsmEndpointUrl);
        var options = defaults ?? new AwsClientOptions();
        var rate = Settings.Parse(parse, RateLimit, RateLimitVariable, ParseRate, options.RateLimit.PermitsPerSecond);
        return options with
        {
            Region = parse.GetValue(Region) ?? options.Region,
            EndpointUrl = Endpoint(parse, EndpointUrl) ?? options.EndpointUrl,
            ServiceEndpointUrls = services.Count > 0 ? services : options.ServiceEndpointUrls,
            RateLimit = rate == options.RateLimit.PermitsPerSecond
                ? options.RateLimit
                : options.RateLimit with { PermitsPerSecond = rate, Burst = Math.Max(1, (int)Math.Ceiling(2 * rate)) },
        };
    }

    private static double ParseRate(string text) =>
        double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var rate) && rate >= 0 && double.IsFinite(rate)
            ? rate
            : throw new FormatException($"'{text}' is not a number of requests per second (0 or more)");

    private static Uri? Endpoint(ParseResult parse, Option<string?> option) => parse.GetValue(option) switch
    {
        null => null,
        var text when Uri.TryCreate(text, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttp || uri.Scheme == Uri.UriSchemeHttps) => uri,
        var text => throw new FormatException($"{option.Name} '{text}' is not an absolute http or https URL"),
    };
}
