using System.Collections.Concurrent;
using Reconciler.Controller.Aws;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Observation;

/// <summary>
/// Whether a spec's Pulumi access token exists where the spec says (a Parameter Store parameter through
/// DescribeParameters, a Secrets Manager secret through DescribeSecret: metadata only, never the value), remembered
/// for a while: specs share tokens, and a resync must not cost one call per spec. Concurrent checks of one reference
/// share one call.
/// </summary>
public sealed class AccessTokenCheck(ISsmClient ssm, ISecretsManagerClient? secrets, TimeProvider time, TimeSpan existsFor, TimeSpan missingFor)
{
    private readonly ConcurrentDictionary<string, Check> _checks = new(StringComparer.Ordinal);

    /// <summary>Whether the parameter exists: the short form of <see cref="ExistsAsync(AccessTokenSpec, CancellationToken)"/>.</summary>
    public Task<bool> ExistsAsync(string parameterName, CancellationToken cancellationToken) =>
        ExistsAsync(new AccessTokenSpec { Parameter = parameterName }, cancellationToken);

    /// <summary>
    /// Whether a build could read the token: the parameter exists, or the secret exists, is not scheduled for
    /// deletion and has the version stage (or id) the reference names. A secret without a Secrets Manager client
    /// (an endpoint without it) is taken as present.
    /// </summary>
    public async Task<bool> ExistsAsync(AccessTokenSpec token, CancellationToken cancellationToken)
    {
        var key = token.Key();
        var check = _checks.GetOrAdd(key, _ => Start(token));
        if (check.Answer.IsValueCreated && check.Answer.Value.IsCompletedSuccessfully
            && time.GetElapsedTime(check.StartedAt) >= (await check.Answer.Value ? existsFor : missingFor))
        {
            check = _checks.AddOrUpdate(key, _ => Start(token), (_, old) => old == check ? Start(token) : old);
        }
        try
        {
            return await check.Answer.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed check is not remembered: the next reconcile asks again.
            _checks.TryRemove(KeyValuePair.Create(key, check));
            throw;
        }
    }

    // The dictionary may run a factory more than once under contention and keep one result: the call itself is
    // deferred behind a Lazy, so only the kept check ever reaches AWS.
    private Check Start(AccessTokenSpec token) => new(time.GetTimestamp(), new Lazy<Task<bool>>(() => AskAsync(token)));

    private async Task<bool> AskAsync(AccessTokenSpec token)
    {
        if (!token.IsSecret())
        {
            return await ssm.ParameterExistsAsync(token.Parameter ?? "", CancellationToken.None);
        }
        if (secrets is null)
        {
            return true;
        }
        var metadata = await secrets.DescribeSecretAsync(token.Secret!, CancellationToken.None);
        return metadata is not null && metadata.Readable(token.VersionStage, token.VersionId);
    }

    private sealed record Check(long StartedAt, Lazy<Task<bool>> Answer);
}
