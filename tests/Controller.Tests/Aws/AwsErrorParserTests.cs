using System.Text;
using Reconciler.Controller.Aws;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.Aws;

public class AwsErrorParserTests
{
    private static AwsApiException Parse(int status, string body, string? header = null, AwsService? service = null) =>
        AwsErrorParser.ToException(service ?? AwsService.CodeBuild, "Op", status, header, "req-1", Encoding.UTF8.GetBytes(body));

    [Fact]
    public void The_namespace_prefix_is_dropped_and_message_is_read()
    {
        var error = Parse(400, """{"__type":"com.amazonaws.codebuild#ResourceNotFoundException","message":"Project not found"}""");
        var notFound = Assert.IsType<AwsNotFoundException>(error);
        Assert.Equal("ResourceNotFoundException", notFound.ErrorCode);
        Assert.Contains("Project not found", notFound.Message, StringComparison.Ordinal);
        Assert.Equal("req-1", notFound.RequestId);
        Assert.Equal(400, notFound.StatusCode);
        Assert.Equal("CodeBuild", notFound.Service);
    }

    [Fact]
    public void A_bare_type_and_capitalised_Message_are_read()
    {
        var error = Parse(400, """{"__type":"ResourceAlreadyExistsException","Message":"exists already"}""");
        Assert.IsType<AwsAlreadyExistsException>(error);
        Assert.Contains("exists already", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_error_type_header_wins_and_its_suffix_is_dropped()
    {
        var error = Parse(400, """{"message":"bad"}""", "ValidationException:http://internal.amazon.com/coral/com.amazon.coral.validate/");
        Assert.IsType<AwsValidationException>(error);
        Assert.Equal("ValidationException", error.ErrorCode);
    }

    [Fact]
    public void A_body_that_is_not_json_falls_back_to_the_status()
    {
        var error = Parse(503, "<html>Service Unavailable</html>");
        Assert.IsType<AwsServiceErrorException>(error);
        Assert.Equal("Http503", error.ErrorCode);
    }

    [Theory]
    [InlineData(400, "ThrottlingException", typeof(AwsThrottlingException))]
    [InlineData(400, "com.amazonaws.dynamodb.v20120810#ProvisionedThroughputExceededException", typeof(AwsThrottlingException))]
    [InlineData(429, "SomethingNew", typeof(AwsThrottlingException))]
    [InlineData(400, "PipelineNotFoundException", typeof(AwsNotFoundException))]
    [InlineData(400, "PipelineNameInUseException", typeof(AwsAlreadyExistsException))]
    [InlineData(400, "InvalidStructureException", typeof(AwsValidationException))]
    [InlineData(400, "InvalidInputException", typeof(AwsValidationException))]
    [InlineData(403, "AccessDeniedException", typeof(AwsAccessDeniedException))]
    [InlineData(400, "UnrecognizedClientException", typeof(AwsAccessDeniedException))]
    [InlineData(400, "ConcurrentModificationException", typeof(AwsConflictException))]
    [InlineData(500, "InternalFailure", typeof(AwsServiceErrorException))]
    [InlineData(502, "", typeof(AwsServiceErrorException))]
    [InlineData(400, "ExpiredIteratorException", typeof(AwsExpiredIteratorException))]
    [InlineData(400, "TrimmedDataAccessException", typeof(AwsTrimmedDataException))]
    [InlineData(400, "SomethingUnheardOf", typeof(AwsApiException))]
    public void Codes_and_statuses_map_to_the_exception_family(int status, string type, Type expected)
    {
        var body = type.Length == 0 ? "{}" : $$"""{"__type":"{{type}}","message":"m"}""";
        Assert.IsType(expected, Parse(status, body));
    }

    [Fact]
    public void LimitExceeded_is_throttling_for_streams_and_a_limit_for_codepipeline()
    {
        const string body = """{"__type":"LimitExceededException","message":"m"}""";
        Assert.IsType<AwsThrottlingException>(Parse(400, body, service: AwsService.DynamoDbStreams));
        Assert.IsType<AwsValidationException>(Parse(400, body, service: AwsService.CodePipeline));
    }

    public static TheoryData<string, string> DeclaredErrors()
    {
        var data = new TheoryData<string, string>();
        foreach (var (service, model, operations) in ClientOperations.All)
        {
            foreach (var error in operations.SelectMany(model.Errors).Distinct())
            {
                data.Add(service.Name, error);
            }
        }
        return data;
    }

    [Theory]
    [MemberData(nameof(DeclaredErrors))]
    public void Every_error_the_models_declare_for_our_operations_has_a_specific_exception(string serviceName, string errorShape)
    {
        var service = AwsService.All.Single(s => s.Name == serviceName);
        var code = AwsErrorParser.NormalizeCode(errorShape)!;
        var error = AwsErrorParser.Create(service, "Op", code, "m", null, 400);
        Assert.NotEqual(typeof(AwsApiException), error.GetType());
    }
}

/// <summary>The operations the typed clients call, per service and API model.</summary>
internal static class ClientOperations
{
    public static readonly (AwsService Service, ApiModel Model, string[] Operations)[] All =
    [
        (AwsService.CodeBuild, ApiModels.CodeBuild, ["BatchGetProjects", "ListProjects", "CreateProject", "UpdateProject", "DeleteProject", "CreateWebhook", "UpdateWebhook", "DeleteWebhook", "BatchGetBuilds", "ListBuildsForProject"]),
        (AwsService.CodePipeline, ApiModels.CodePipeline, ["ListPipelines", "GetPipeline", "CreatePipeline", "UpdatePipeline", "DeletePipeline", "GetPipelineState", "ListTagsForResource", "TagResource", "UntagResource"]),
        (AwsService.DynamoDbStreams, ApiModels.DynamoDbStreams, ["ListStreams", "DescribeStream", "GetShardIterator", "GetRecords"]),
        (AwsService.Ssm, ApiModels.Ssm, ["DescribeParameters"]),
    ];
}
