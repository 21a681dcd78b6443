using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.Logging;

namespace Reconciler.Controller.Web;

/// <summary><c>POST /hooks/git</c>: a signed push notification from GitHub or GitLab (see <see cref="GitHookSignature"/>) triggers a sync at once instead of at the next interval.</summary>
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
        var headers = new GitHookHeaders(
            request.Headers[GitHookSignature.GitHubHeader].FirstOrDefault(),
            request.Headers[GitHookSignature.GitLabHeader].FirstOrDefault(),
            request.Headers[GitHookSignature.SignatureHeader].FirstOrDefault(),
            request.Headers[GitHookSignature.IdHeader].FirstOrDefault(),
            request.Headers[GitHookSignature.TimestampHeader].FirstOrDefault());
        if (!signature.IsValid(body.GetBuffer().AsSpan(0, (int)body.Length), headers))
        {
            logger.LogWarning("refused a git webhook delivery from {Remote}: {Reason}", request.HttpContext.Connection.RemoteIpAddress,
                headers.IsEmpty ? "no signature header" : "the signature does not match or the delivery is too old");
            return Results.Text("signature missing or wrong\n", statusCode: StatusCodes.Status401Unauthorized);
        }
        trigger();
        return Results.Text("sync triggered\n", statusCode: StatusCodes.Status202Accepted);
    });
}
