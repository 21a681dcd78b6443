using System.Text.Json.Nodes;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

public class DynamoDbStreamsClientTests
{
    [Fact]
    public async Task GetRecords_converts_every_attribute_type()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => new StubResponse(200, """
            {"Records":[{"eventID":"1","eventName":"MODIFY","eventSource":"aws:dynamodb","awsRegion":"us-east-1",
              "dynamodb":{"ApproximateCreationDateTime":1700000000.0,"SequenceNumber":"100","SizeBytes":42,"StreamViewType":"NEW_AND_OLD_IMAGES",
                "Keys":{"pk":{"S":"spec#website"}},
                "NewImage":{"pk":{"S":"spec#website"},"generation":{"N":"3"},"blob":{"B":"aGVsbG8="},"tags":{"SS":["a","b"]},
                            "nums":{"NS":["1","2.5"]},"blobs":{"BS":["AQI="]},"doc":{"M":{"inner":{"BOOL":true},"nothing":{"NULL":true}}},
                            "list":{"L":[{"S":"x"},{"N":"7"}]}},
                "OldImage":{"pk":{"S":"spec#website"},"generation":{"N":"2"}}}}],
             "NextShardIterator":"it-2"}
            """, ContentType: "application/x-amz-json-1.0"));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var page = await clients.DynamoDbStreams.GetRecordsAsync("it-1", 100, CancellationToken.None);

        Assert.Equal("it-2", page.NextShardIterator);
        var change = Assert.Single(page.Records);
        Assert.Equal(("MODIFY", "100"), (change.EventName, change.SequenceNumber));
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1_700_000_000), change.ApproximateCreationDateTime);
        Assert.Equal("spec#website", change.Keys["pk"].S);
        var image = change.NewImage!;
        Assert.Equal("3", image["generation"].N);
        Assert.Equal("hello"u8.ToArray(), image["blob"].B.ToArray());
        Assert.Equal(["a", "b"], image["tags"].SS);
        Assert.Equal(["1", "2.5"], image["nums"].NS);
        Assert.Equal(new byte[] { 1, 2 }, Assert.Single(image["blobs"].BS).ToArray());
        Assert.True(image["doc"].M["inner"].BOOL);
        Assert.True(image["doc"].M["nothing"].NULL);
        Assert.Equal(["x", null], image["list"].L.Select(v => v.S));
        Assert.Equal("7", image["list"].L[1].N);
        Assert.Equal("2", change.OldImage!["generation"].N);
        Assert.Equal("""{"ShardIterator":"it-1","Limit":100}""", stub.Requests.Single().BodyText);
        Assert.Equal("DynamoDBStreams_20120810.GetRecords", stub.Requests.Single().Target);
    }

    [Fact]
    public async Task DescribeStream_follows_shard_pages_and_ListStreams_follows_stream_pages()
    {
        await using var stub = await AwsStubServer.StartAsync(r =>
        {
            var body = JsonNode.Parse(r.Body)!;
            return (r.Operation, body["ExclusiveStartShardId"] ?? body["ExclusiveStartStreamArn"]) switch
            {
                ("DescribeStream", null) => StubResponse.Ok("""{"StreamDescription":{"StreamArn":"s","StreamStatus":"ENABLED","StreamViewType":"NEW_AND_OLD_IMAGES","Shards":[{"ShardId":"sh-1","SequenceNumberRange":{"StartingSequenceNumber":"1","EndingSequenceNumber":"9"}}],"LastEvaluatedShardId":"sh-1"}}"""),
                ("DescribeStream", _) => StubResponse.Ok("""{"StreamDescription":{"StreamArn":"s","StreamStatus":"ENABLED","Shards":[{"ShardId":"sh-2","ParentShardId":"sh-1","SequenceNumberRange":{"StartingSequenceNumber":"10"}}]}}"""),
                ("ListStreams", null) => StubResponse.Ok("""{"Streams":[{"StreamArn":"s1","TableName":"specs","StreamLabel":"l1"}],"LastEvaluatedStreamArn":"s1"}"""),
                _ => StubResponse.Ok("""{"Streams":[{"StreamArn":"s2","TableName":"specs","StreamLabel":"l2"}]}"""),
            };
        });
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        var stream = await clients.DynamoDbStreams.DescribeStreamAsync("s", CancellationToken.None);
        var streams = await clients.DynamoDbStreams.ListStreamsAsync("specs", CancellationToken.None);

        Assert.Equal(["sh-1", "sh-2"], stream.Shards.Select(s => s.ShardId));
        Assert.Equal("sh-1", stream.Shards[1].ParentShardId);
        Assert.Equal("9", stream.Shards[0].EndingSequenceNumber);
        Assert.Null(stream.Shards[1].EndingSequenceNumber);
        Assert.Equal("ENABLED", stream.StreamStatus);
        Assert.Equal(["s1", "s2"], streams.Select(s => s.StreamArn));
        Assert.Contains(stub.Requests, r => r.BodyText == """{"StreamArn":"s","ExclusiveStartShardId":"sh-1"}""");
    }

    [Fact]
    public async Task An_expired_iterator_is_its_own_exception_and_is_not_retried()
    {
        await using var stub = await AwsStubServer.StartAsync(_ => StubResponse.Error(400, "com.amazonaws.dynamodb.v20120810#ExpiredIteratorException", "Iterator expired"));
        using var clients = AwsTestClients.Create(AwsTestClients.Options(stub.Url));

        await Assert.ThrowsAsync<AwsExpiredIteratorException>(() => clients.DynamoDbStreams.GetRecordsAsync("old", null, CancellationToken.None));

        Assert.Equal(1, stub.Count("GetRecords"));
    }
}
