using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Routing;

namespace Reconciler.Controller.Web;

/// <summary><c>/metrics</c>: every meter the server was built with, in Prometheus text form.</summary>
public sealed class MetricsRoutes : IWebRoutes
{
    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPrometheusScrapingEndpoint("/metrics");
}
