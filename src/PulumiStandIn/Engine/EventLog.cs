using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Reconciler.PulumiStandIn.Engine;

/// <summary>
/// The <c>--event-log</c> file: one compact JSON object per line, <c>{"sequence","timestamp",&lt;kind&gt;:{...}}</c>, flushed
/// as each event happens so that a reader tailing it sees the update progress; the last line is the <c>cancelEvent</c>.
/// </summary>
internal sealed class EventLog : IDisposable
{
    private static readonly JsonSerializerOptions Compact = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly StreamWriter? _writer;
    private int _sequence;

    public EventLog(string? path)
    {
        if (string.IsNullOrEmpty(path))
        {
            return;
        }
        try
        {
            // O_TRUNC|O_APPEND as the CLI opens it; an unopenable path means no log, silently, as in the CLI.
            var stream = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete);
            _writer = new StreamWriter(stream) { NewLine = "\n", AutoFlush = true };
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            _writer = null;
        }
    }

    public void Emit(string kind, JsonObject payload)
    {
        var line = new JsonObject
        {
            ["sequence"] = _sequence++,
            ["timestamp"] = DateTimeOffset.UtcNow.ToUnixTimeSeconds(),
            [kind] = payload,
        };
        _writer?.WriteLine(line.ToJsonString(Compact));
    }

    public void Dispose() => _writer?.Dispose();
}
