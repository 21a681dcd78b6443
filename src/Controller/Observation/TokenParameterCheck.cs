using System.Collections.Concurrent;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Observation;

/// <summary>
/// Whether a spec's Pulumi access-token parameter exists in Parameter Store (metadata only, never the value),
/// remembered for a while: specs share parameters, and a resync must not cost one SSM call per spec. Concurrent
/// checks of one name share one call.
/// </summary>
public sealed class TokenParameterCheck(ISsmClient ssm, TimeProvider time, TimeSpan existsFor, TimeSpan missingFor)
{
    private readonly ConcurrentDictionary<string, Check> _checks = new(StringComparer.Ordinal);

    public async Task<bool> ExistsAsync(string parameterName, CancellationToken cancellationToken)
    {
        var check = _checks.GetOrAdd(parameterName, Start);
        if (check.Answer.IsValueCreated && check.Answer.Value.IsCompletedSuccessfully
            && time.GetElapsedTime(check.StartedAt) >= (await check.Answer.Value ? existsFor : missingFor))
        {
            check = _checks.AddOrUpdate(parameterName, Start, (name, old) => old == check ? Start(name) : old);
        }
        try
        {
            return await check.Answer.Value.WaitAsync(cancellationToken);
        }
        catch (Exception) when (!cancellationToken.IsCancellationRequested)
        {
            // A failed check is not remembered: the next reconcile asks again.
            _checks.TryRemove(KeyValuePair.Create(parameterName, check));
            throw;
        }
    }

    // The dictionary may run a factory more than once under contention and keep one result: the call itself is
    // deferred behind a Lazy, so only the kept check ever reaches SSM.
    private Check Start(string name) => new(time.GetTimestamp(), new Lazy<Task<bool>>(() => ssm.ParameterExistsAsync(name, CancellationToken.None)));

    private sealed record Check(long StartedAt, Lazy<Task<bool>> Answer);
}
