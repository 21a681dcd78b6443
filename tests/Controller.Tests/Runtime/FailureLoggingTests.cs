using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Runtime;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Runtime;

/// <summary>An expected AWS error such as ResourceNotFound is logged as one line; a bug keeps its stack trace.</summary>
public sealed class FailureLoggingTests
{
    [Fact]
    public async Task A_ResourceNotFound_from_AWS_is_one_line_without_a_stack_trace_and_a_bug_keeps_its_exception()
    {
        var log = new RecordingLogger();
        await using var h = await RuntimeHarness.CreateAsync(logger: log);
        h.Reconciler.Behaviour = (doc, _) => doc.Metadata.Name == "gone"
            ? throw new AwsNotFoundException("CodeBuild", "UpdateWebhook", "ResourceNotFoundException", "Project not found: gone-staging", "req-1", 400)
            : throw new InvalidOperationException("a bug");
        await h.StartAsync();
        await h.CreateObjectAsync("gone");
        await h.CreateObjectAsync("buggy");

        await RuntimeHarness.WaitUntilAsync(() => log.Entries.Count(e => e.Level == LogLevel.Warning) >= 2, "both failures logged");

        var expected = Assert.Single(log.Entries, e => e.Message.Contains("gone", StringComparison.Ordinal));
        Assert.Null(expected.Exception);
        Assert.Contains("AwsNotFoundException: CodeBuild.UpdateWebhook failed: ResourceNotFoundException: Project not found: gone-staging", expected.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', expected.Message);
        var bug = Assert.Single(log.Entries, e => e.Message.Contains("buggy", StringComparison.Ordinal));
        Assert.IsType<InvalidOperationException>(bug.Exception);
    }

    private sealed class RecordingLogger : ILogger<Controller<PulumiPipeline>>
    {
        public ConcurrentQueue<(LogLevel Level, string Message, Exception? Exception)> Entries { get; } = new();

        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => true;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            Entries.Enqueue((logLevel, formatter(state, exception), exception));
    }
}
