namespace Reconciler.Controller.Web;

/// <summary>Where the health and metrics endpoints listen.</summary>
/// <param name="Port">The TCP port (0: any free port, as tests use).</param>
/// <param name="BindAddress">127.0.0.1 by default; 0.0.0.0 on ECS so the load balancer's health check reaches it.</param>
/// <param name="Meters">Meters exported on <c>/metrics</c> besides the runtime's own.</param>
/// <param name="Routes">More endpoints on the same port, such as the git webhook.</param>
public sealed record HealthServerOptions(int Port = 8081, string BindAddress = "127.0.0.1", IReadOnlyList<string>? Meters = null,
    IReadOnlyList<Action<Microsoft.AspNetCore.Routing.IEndpointRouteBuilder>>? Routes = null);
