namespace Reconciler.Controller.Web;

/// <summary>Where the status page listens: its own port, loopback unless configured, so the health port never exposes it.</summary>
/// <param name="Port">TCP port (0: any free port, as tests use).</param>
/// <param name="BindAddress">127.0.0.1 unless configured.</param>
/// <param name="TraceUrlTemplate">A link to a spec's trace, <c>{traceId}</c> replaced (Jaeger, Tempo, X-Ray); null: no link.</param>
public sealed record StatusPageOptions(int Port = StatusPageOptions.DefaultPort, string BindAddress = "127.0.0.1", string? TraceUrlTemplate = null)
{
    public const int DefaultPort = 8082;
}
