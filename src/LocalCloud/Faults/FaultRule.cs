namespace Reconciler.LocalCloud.Faults;

/// <summary>Faults for the operations a rule matches: <c>*</c>, <c>CodeBuild.*</c>, <c>BatchGetProjects</c> or <c>CodeBuild.BatchGetProjects</c>.</summary>
/// <param name="ThrottleRatio">Share of requests answered 400 ThrottlingException (0..1).</param>
/// <param name="ErrorRatio">Share of requests answered 500 InternalFailure or 503 ServiceUnavailable (0..1).</param>
/// <param name="LatencyMs">Delay added before every matching request is answered.</param>
public sealed record FaultRule(string Operation = "*", double ThrottleRatio = 0, double ErrorRatio = 0, int LatencyMs = 0)
{
    /// <summary>The rule's problems, empty when it is usable.</summary>
    public IEnumerable<string> Problems()
    {
        if (string.IsNullOrWhiteSpace(Operation))
        {
            yield return "operation must name an operation, Service.*, or *";
        }
        if (ThrottleRatio is < 0 or > 1 || double.IsNaN(ThrottleRatio))
        {
            yield return $"throttleRatio {ThrottleRatio} is outside 0..1";
        }
        if (ErrorRatio is < 0 or > 1 || double.IsNaN(ErrorRatio))
        {
            yield return $"errorRatio {ErrorRatio} is outside 0..1";
        }
        if (ThrottleRatio + ErrorRatio > 1)
        {
            yield return "throttleRatio + errorRatio exceeds 1";
        }
        if (LatencyMs < 0)
        {
            yield return $"latencyMs {LatencyMs} is negative";
        }
    }

    /// <summary>How specifically the rule names an operation (higher wins), or -1 when it does not match.</summary>
    internal int Specificity(string service, string operation)
    {
        if (Operation == $"{service}.{operation}")
        {
            return 3;
        }
        if (Operation == operation)
        {
            return 2;
        }
        if (Operation == $"{service}.*")
        {
            return 1;
        }
        return Operation == "*" ? 0 : -1;
    }
}
