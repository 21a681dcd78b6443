namespace Reconciler.Controller.Web;

/// <summary>Where the one web server (health, metrics and every route runnables add) listens.</summary>
/// <param name="Port">The TCP port (0: any free port, as tests use).</param>
/// <param name="BindAddress">127.0.0.1 by default; 0.0.0.0 on ECS so the load balancer's health check reaches it.</param>
/// <param name="Meters">Meters exported on <c>/metrics</c> besides the runtime's and the AWS clients'.</param>
public sealed record WebServerOptions(int Port = WebServerOptions.DefaultPort, string BindAddress = WebServerOptions.DefaultBindAddress, IReadOnlyList<string>? Meters = null)
{
    public const int DefaultPort = 8081;

    public const string DefaultBindAddress = "127.0.0.1";
}
