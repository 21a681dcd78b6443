using System.CommandLine;
using System.Text;
using Reconciler.Controller.Cli;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class LocalCloudCommandTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("localcloud-cli-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task Localcloud_prints_its_endpoint_serves_with_the_given_faults_and_saves_state_when_cancelled()
    {
        var stateFile = Path.Combine(_directory, "state.json");
        var output = new LineWriter();
        using var stop = new CancellationTokenSource();
        var run = CommandLineApp.Build()
            .Parse(["localcloud", "--port", "0", "--throttle-ratio", "1", "--seed", "5", "--state-file", stateFile])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);

        var exportLine = await output.WaitForLineAsync(l => l.Contains("export AWS_ENDPOINT_URL=", StringComparison.Ordinal), run);
        var endpoint = new Uri(exportLine.Trim()["export AWS_ENDPOINT_URL=".Length..]);
        using var http = new HttpClient();
        var client = new AwsJsonTestClient(http, endpoint, TimeProvider.System, "AKIAANYKEY0000000000", "any", "us-east-1");
        var answer = await client.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}");
        await stop.CancelAsync();
        var exit = await run;

        Assert.Equal("127.0.0.1", endpoint.Host);
        Assert.Equal("com.amazon.coral.availability#ThrottlingException", answer.ErrorType);
        Assert.Equal(0, exit);
        Assert.Contains("LocalCloud stopped.", output.Lines);
        Assert.True(File.Exists(stateFile), "the state file is written when LocalCloud stops");
    }

    [Fact]
    public async Task Localcloud_holds_the_parameters_it_is_given_as_metadata()
    {
        var output = new LineWriter();
        using var stop = new CancellationTokenSource();
        var run = CommandLineApp.Build()
            .Parse(["localcloud", "--port", "0", "--parameter", "/pulumi/token", "--parameter", "/other/token", "--parameter", "/pulumi/token"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output }, stop.Token);

        var exportLine = await output.WaitForLineAsync(l => l.Contains("export AWS_ENDPOINT_URL=", StringComparison.Ordinal), run);
        var endpoint = new Uri(exportLine.Trim()["export AWS_ENDPOINT_URL=".Length..]);
        using var http = new HttpClient();
        var client = new AwsJsonTestClient(http, endpoint, TimeProvider.System, "AKIAANYKEY0000000000", "any", "us-east-1");
        var answer = await client.Ssm("DescribeParameters", "{}");
        await stop.CancelAsync();
        await run;

        Assert.Equal(200, (int)answer.Status);
        var names = answer.Body["Parameters"]!.AsArray().Select(p => (string)p!["Name"]!).Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["/other/token", "/pulumi/token"], names);
        Assert.All(answer.Body["Parameters"]!.AsArray(), p => Assert.Equal("SecureString", (string)p!["Type"]!));
    }

    [Fact]
    public async Task Impossible_fault_ratios_fail_with_a_message_and_exit_1()
    {
        var output = new LineWriter();

        var exit = await CommandLineApp.Build()
            .Parse(["localcloud", "--error-ratio", "1.5"])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = output });

        Assert.Equal(1, exit);
        Assert.Contains(output.Lines, l => l.Contains("errorRatio 1.5 is outside 0..1", StringComparison.Ordinal));
        Assert.DoesNotContain(output.Lines, l => l.Contains("listening", StringComparison.Ordinal));
    }

    /// <summary>A writer that keeps whole lines and lets a test wait for one while the command runs on.</summary>
    private sealed class LineWriter : TextWriter
    {
        private readonly Lock _lock = new();
        private readonly StringBuilder _current = new();
        private readonly List<string> _lines = [];

        public override Encoding Encoding => Encoding.UTF8;

        public IReadOnlyList<string> Lines
        {
            get
            {
                lock (_lock)
                {
                    return [.. _lines];
                }
            }
        }

        public override void Write(char value)
        {
            lock (_lock)
            {
                if (value == '\n')
                {
                    _lines.Add(_current.ToString().TrimEnd('\r'));
                    _current.Clear();
                }
                else
                {
                    _current.Append(value);
                }
            }
        }

        public async Task<string> WaitForLineAsync(Func<string, bool> match, Task running)
        {
            var deadline = DateTime.UtcNow.AddSeconds(30);
            while (DateTime.UtcNow < deadline)
            {
                if (Lines.FirstOrDefault(match) is { } line)
                {
                    return line;
                }
                Assert.False(running.IsCompleted, "the command ended early: " + string.Join(" | ", Lines));
                await Task.WhenAny(running, Task.Delay(20));
            }
            throw new TimeoutException("no matching line: " + string.Join(" | ", Lines));
        }
    }
}
