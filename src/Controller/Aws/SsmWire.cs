namespace Reconciler.Controller.Aws;

// Request and response envelopes of SSM DescribeParameters (AWS JSON 1.1, PascalCase members as in
// ssm-2014-11-06). The response's ParameterMetadata never carries a value.

internal sealed record DescribeParametersRequest(IReadOnlyList<ParameterStringFilterWire> ParameterFilters, string? NextToken);

internal sealed record ParameterStringFilterWire(string Key, string? Option, IReadOnlyList<string>? Values);

internal sealed record DescribeParametersResponse(IReadOnlyList<ParameterMetadataWire>? Parameters, string? NextToken);

internal sealed record ParameterMetadataWire(string? Name, string? Type);
