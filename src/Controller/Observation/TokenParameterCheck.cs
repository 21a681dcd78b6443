using System.Collections.Concurrent;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Observation;

/// <summary>
/// Whether a spec's Pulumi access-token parameter exists in Parameter Store (metadata only, never the value),
/// remembered for a while: specs share parameters, and a resync must not cost one SSM call per spec.
/// </summary>
public sealed class TokenParameterCheck(ISsmClient ssm, TimeProvider time, TimeSpan existsFor, TimeSpan missingFor)
{
    private readonly ConcurrentDictionary<string, (bool Exists, long CheckedAt)> _known = new(StringComparer.Ordinal);

    public async Task<bool> ExistsAsync(string parameterName, CancellationToken cancellationToken)
    {
        if (_known.TryGetValue(parameterName, out var known)
            && time.GetElapsedTime(known.CheckedAt) < (known.Exists ? existsFor : missingFor))
        {
            return known.Exists;
        }
        var checkedAt = time.GetTimestamp();
        var exists = await ssm.ParameterExistsAsync(parameterName, cancellationToken);
        _known[parameterName] = (exists, checkedAt);
        return exists;
    }
}
