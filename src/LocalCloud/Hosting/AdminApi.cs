using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization.Metadata;
using Microsoft.AspNetCore.Http;
using Reconciler.LocalCloud.Faults;
using Reconciler.LocalCloud.State;

namespace Reconciler.LocalCloud.Hosting;

/// <summary>LocalCloud's own endpoints under <c>/_localcloud/</c>: request counts, faults, state, seeded builds and secrets.</summary>
internal sealed class AdminApi(CloudState state, RequestCounters counters, FaultInjector faults)
{
    public static bool Handles(HttpRequest request) => request.Path.StartsWithSegments(LocalCloudInfo.AdminPrefix, StringComparison.Ordinal);

    public async Task HandleAsync(HttpContext context)
    {
        var request = context.Request;
        var response = context.Response;
        var cancellationToken = context.RequestAborted;
        response.Headers["x-amzn-RequestId"] = Guid.NewGuid().ToString();
        var route = (request.Method, request.Path.Value![LocalCloudInfo.AdminPrefix.Length..].TrimEnd('/'));
        try
        {
            switch (route)
            {
                case ("GET", "/requests"):
                    await WriteAsync(response, new RequestCountsReport(counters.TotalRequests, counters.Snapshot()), LocalCloudJsonContext.Default.RequestCountsReport, cancellationToken);
                    break;
                case ("POST", "/reset-counters"):
                    counters.Reset();
                    response.StatusCode = StatusCodes.Status204NoContent;
                    break;
                case ("GET", "/faults"):
                    await WriteAsync(response, faults.Settings, LocalCloudJsonContext.Default.FaultSettings, cancellationToken);
                    break;
                case ("POST", "/faults"):
                    var settings = await ReadAsync(request, LocalCloudJsonContext.Default.FaultSettings, cancellationToken);
                    faults.Set(settings);
                    await WriteAsync(response, faults.Settings, LocalCloudJsonContext.Default.FaultSettings, cancellationToken);
                    break;
                case ("GET", "/state"):
                    await WriteAsync(response, state.Snapshot(), LocalCloudJsonContext.Default.CloudSnapshot, cancellationToken);
                    break;
                case ("POST", "/builds"):
                    await SeedBuildsAsync(request, response, cancellationToken);
                    break;
                case ("POST", "/secrets"):
                    await SeedSecretsAsync(request, response, cancellationToken);
                    break;
                default:
                    await WriteProblemAsync(response, StatusCodes.Status404NotFound, $"no admin endpoint {request.Method} {request.Path}", cancellationToken);
                    break;
            }
        }
        catch (Exception e) when (e is ArgumentException or JsonException or InvalidDataException)
        {
            await WriteProblemAsync(response, StatusCodes.Status400BadRequest, e.Message, cancellationToken);
        }
    }

    /// <summary><c>{"builds": [ {projectName, ...}, ... ]}</c>: each build is filled in as CodeBuild would and returned.</summary>
    private async Task SeedBuildsAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        if (body?["builds"] is not JsonArray builds)
        {
            throw new ArgumentException("$.builds: expected a list of builds");
        }
        var seeded = new JsonArray();
        for (var i = 0; i < builds.Count; i++)
        {
            if (builds[i] is not JsonObject build)
            {
                throw new ArgumentException($"$.builds[{i}]: expected an object");
            }
            seeded.Add(state.AddBuild(build));
        }
        await WriteNodeAsync(response, StatusCodes.Status200OK, new JsonObject { ["builds"] = seeded }, cancellationToken);
    }

    /// <summary><c>{"secrets": ["name", ...]}</c>: each secret is created (metadata only, one AWSCURRENT version) unless it exists; answers their ARNs.</summary>
    private async Task SeedSecretsAsync(HttpRequest request, HttpResponse response, CancellationToken cancellationToken)
    {
        var body = await JsonNode.ParseAsync(request.Body, cancellationToken: cancellationToken);
        if (body?["secrets"] is not JsonArray names)
        {
            throw new ArgumentException("$.secrets: expected a list of secret names");
        }
        var arns = new JsonArray();
        for (var i = 0; i < names.Count; i++)
        {
            if (names[i] is not JsonValue value || !value.TryGetValue<string>(out var name) || name.Length == 0)
            {
                throw new ArgumentException($"$.secrets[{i}]: expected a secret name");
            }
            state.AddSecret(name);
            arns.Add(state.FindSecret(name)!.Arn);
        }
        await WriteNodeAsync(response, StatusCodes.Status200OK, new JsonObject { ["arns"] = arns }, cancellationToken);
    }

    private static async Task<T> ReadAsync<T>(HttpRequest request, JsonTypeInfo<T> type, CancellationToken cancellationToken) =>
        await JsonSerializer.DeserializeAsync(request.Body, type, cancellationToken) ?? throw new ArgumentException("$: the body is null");

    private static async Task WriteAsync<T>(HttpResponse response, T value, JsonTypeInfo<T> type, CancellationToken cancellationToken)
    {
        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        await JsonSerializer.SerializeAsync(response.Body, value, type, cancellationToken);
    }

    private static Task WriteProblemAsync(HttpResponse response, int statusCode, string message, CancellationToken cancellationToken) =>
        WriteNodeAsync(response, statusCode, new JsonObject { ["message"] = message }, cancellationToken);

    private static async Task WriteNodeAsync(HttpResponse response, int statusCode, JsonNode body, CancellationToken cancellationToken)
    {
        response.StatusCode = statusCode;
        response.ContentType = "application/json";
        await response.Body.WriteAsync(Encoding.UTF8.GetBytes(body.ToJsonString()), cancellationToken);
    }
}
