using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Web;

/// <summary><c>POST /hooks/git</c>: a signed push notification from GitHub or GitLab triggers a sync at once instead of at the next interval.</summary>
public sealed class GitHookRoutes(GitHookSignature signature, Action trigger, ILogger logger) : IWebRoutes
{
    public const string Path = "/hooks/git";

    /// <summary>Larger bodies are refused before they are read whole (push payloads are a few hundred KB at most).</summary>
    public const int MaxBodyBytes = 5 * 1024 * 1024;

    public void Map(IEndpointRouteBuilder endpoints) => endpoints.MapPost(Path, async (HttpRequest request, CancellationToken cancellationToken) =>
    {
        if (request.ContentLength > MaxBodyBytes)
        {
            return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
        }
        using var body = new MemoryStream();
        var buffer = new byte[81920];
        int read;
        while ((read = await request.Body.ReadAsync(buffer, cancellationToken)) > 0)
        {
            if (body.Length + read > MaxBodyBytes)
            {
                return Results.StatusCode(StatusCodes.Status413PayloadTooLarge);
            }
            body.Write(buffer, 0, read);
        }
        var gitHub = request.Headers[GitHookSignature.GitHubHeader].FirstOrDefault();
        var gitLab = request.Headers[GitHookSignature.GitLabHeader].FirstOrDefault();
        if (!signature.IsValid(body.GetBuffer().AsSpan(0, (int)body.Length), gitHub, gitLab))
        {
            logger.LogWarning("refused a git webhook delivery from {Remote}: {Reason}", request.HttpContext.Connection.RemoteIpAddress,
                gitHub is null && gitLab is null ? "no signature header" : "the signature does not match");
            return Results.Text("signature missing or wrong\n", statusCode: StatusCodes.Status401Unauthorized);
        }
        trigger();
        return Results.Text("sync triggered\n", statusCode: StatusCodes.Status202Accepted);
    });
}
