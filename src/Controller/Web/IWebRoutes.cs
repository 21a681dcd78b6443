using Microsoft.AspNetCore.Routing;

namespace Reconciler.Controller.Web;

/// <summary>Endpoints a part adds to the one web server (health, metrics, the status page, a webhook receiver).</summary>
public interface IWebRoutes
{
    /// <summary>Maps this part's endpoints; called once, before the server starts.</summary>
    void Map(IEndpointRouteBuilder endpoints);
}
