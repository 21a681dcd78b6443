using System.Globalization;
using System.Reflection;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace Reconciler.Controller.Web;

/// <summary>
/// The status page's routes: the page itself (static HTML, CSS and JavaScript embedded in the binary, nothing
/// fetched from elsewhere) and the read-only JSON API it polls: <c>/api/v1/specs</c>, <c>/api/v1/specs/{name}</c>,
/// <c>/api/v1/controller</c>.
/// </summary>
public sealed class StatusRoutes(StatusApi api) : IWebRoutes
{
    private static readonly IReadOnlyDictionary<string, string> Assets = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["/"] = "index.html",
        ["/spec"] = "spec.html",
        ["/status.js"] = "status.js",
        ["/status.css"] = "status.css",
    };

    public void Map(IEndpointRouteBuilder endpoints)
    {
        foreach (var (path, asset) in Assets)
        {
            var bytes = Read(asset);
            var type = Path.GetExtension(asset) switch
            {
                ".html" => "text/html; charset=utf-8",
                ".js" => "text/javascript; charset=utf-8",
                _ => "text/css; charset=utf-8",
            };
            endpoints.MapGet(path, () => Results.Bytes(bytes, type));
        }
        endpoints.MapGet("/api/v1/specs", (HttpRequest request) =>
        {
            var query = request.Query;
            try
            {
                var page = api.List(query["phase"], query["label"], query["drifted"] == "true", query["q"],
                    Int(query["offset"], 0), Int(query["limit"], StatusApi.DefaultLimit));
                return Results.Json(page, StatusJsonContext.Default.SpecPage);
            }
            catch (FormatException e)
            {
                return Results.Json(new StatusError($"label: {e.Message}"), StatusJsonContext.Default.StatusError, statusCode: StatusCodes.Status400BadRequest);
            }
        });
        endpoints.MapGet("/api/v1/specs/{name}", (string name) => api.Get(name) is { } detail
            ? Results.Json(detail, StatusJsonContext.Default.SpecDetail)
            : Results.Json(new StatusError($"no spec named '{name}' in the cache"), StatusJsonContext.Default.StatusError, statusCode: StatusCodes.Status404NotFound));
        endpoints.MapGet("/api/v1/controller", () => Results.Json(api.State(), StatusJsonContext.Default.ControllerState));
    }

    private static int Int(string? text, int fallback) =>
        int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var value) ? value : fallback;

    private static byte[] Read(string asset)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream($"status/{asset}")
            ?? throw new InvalidOperationException($"the status page asset {asset} is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    }
}
