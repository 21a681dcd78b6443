using System.Text.Json.Serialization;

namespace Reconciler.Controller.Aws;

/// <summary>Source-generated JSON for the PascalCase services (DynamoDB Streams, SSM): nulls omitted, reading lenient.</summary>
[JsonSourceGenerationOptions(
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    PropertyNameCaseInsensitive = true,
    NumberHandling = JsonNumberHandling.AllowReadingFromString,
    Converters = [typeof(AwsTimestampJsonConverter)])]
[JsonSerializable(typeof(EmptyResponse))]
[JsonSerializable(typeof(ListStreamsRequest))]
[JsonSerializable(typeof(ListStreamsResponse))]
[JsonSerializable(typeof(DescribeStreamRequest))]
[JsonSerializable(typeof(DescribeStreamResponse))]
[JsonSerializable(typeof(GetShardIteratorRequest))]
[JsonSerializable(typeof(GetShardIteratorResponse))]
[JsonSerializable(typeof(GetRecordsRequest))]
[JsonSerializable(typeof(GetRecordsResponse))]
[JsonSerializable(typeof(DescribeParametersRequest))]
[JsonSerializable(typeof(DescribeParametersResponse))]
internal sealed partial class AwsPascalWireJsonContext : JsonSerializerContext;
