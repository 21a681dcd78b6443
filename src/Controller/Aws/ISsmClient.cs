namespace Reconciler.Controller.Aws;

/// <summary>Parameter Store metadata only: the controller learns whether a parameter exists, never its value.</summary>
public interface ISsmClient
{
    /// <summary>True when the parameter exists (DescribeParameters with a Name Equals filter).</summary>
    Task<bool> ParameterExistsAsync(string name, CancellationToken cancellationToken);
}
