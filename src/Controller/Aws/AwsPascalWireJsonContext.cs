using System.Text.Json.Serialization;

namespace Reconciler.Controller.Aws;

/// <summary>Source-generated JSON for the PascalCase services (DynamoDB Streams, SSM, Secrets Manager): nulls omitted, reading lenient.</summary>
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
[JsonSerializable(typeof(DescribeSecretRequest))]
[JsonSerializable(typeof(DescribeSecretResponse))]
internal sealed partial class AwsPascalWireJsonContext : JsonSerializerContext;
