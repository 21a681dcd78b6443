namespace Reconciler.Controller.Aws;

/// <summary>Parameter Store metadata through DescribeParameters; the client has no way to read a parameter's value.</summary>
public sealed class SsmClient(AwsJsonClient client) : ISsmClient
{
    private static AwsPascalWireJsonContext Json => AwsPascalWireJsonContext.Default;

    public async Task<bool> ParameterExistsAsync(string name, CancellationToken cancellationToken)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(name);
        IReadOnlyList<ParameterStringFilterWire> filters = [new ParameterStringFilterWire("Name", "Equals", [name])];
        string? nextToken = null;
        do
        {
            // DescribeParameters may answer an empty page with a next token before the match; follow it.
            var response = await client.SendAsync("DescribeParameters", new DescribeParametersRequest(filters, nextToken), Json.DescribeParametersRequest, Json.DescribeParametersResponse, cancellationToken).ConfigureAwait(false);
            if ((response.Parameters ?? []).Any(p => string.Equals(p.Name, name, StringComparison.Ordinal)))
            {
                return true;
            }
            nextToken = CodeBuildClient.NullIfEmpty(response.NextToken);
        }
        while (nextToken is not null);
        return false;
    }
}
