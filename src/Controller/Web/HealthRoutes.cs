using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Reconciler.Controller.Runtime;

namespace Reconciler.Controller.Web;

/// <summary><c>/healthz</c> (the process answers) and <c>/readyz</c> (every check ready, each with its one-line detail).</summary>
public sealed class HealthRoutes(IReadOnlyList<IReadinessCheck> checks) : IWebRoutes
{
    public void Map(IEndpointRouteBuilder endpoints)
    {
        endpoints.MapGet("/healthz", () => Results.Text("ok\n"));
        endpoints.MapGet("/readyz", () =>
        {
            var results = checks.Select(c => c.CheckReadiness()).ToList();
            var ready = results.All(r => r.Ready);
            var body = string.Join('\n', results.Select(r => (r.Ready ? "ok: " : "not ready: ") + r.Detail)) + "\n";
            return Results.Text(body, statusCode: ready ? StatusCodes.Status200OK : StatusCodes.Status503ServiceUnavailable);
        });
    }
}
