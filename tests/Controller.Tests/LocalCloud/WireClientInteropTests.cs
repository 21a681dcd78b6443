using Reconciler.Controller.Aws;
using Reconciler.Controller.Tests.Aws;
using Reconciler.LocalCloud;
using Reconciler.LocalCloud.Faults;
using Reconciler.Model.Aws;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>
/// The controller's own AWS clients (signing through AWSSDK.Core) against LocalCloud verifying with the same key:
/// two independent SigV4 implementations must agree, and LocalCloud's errors must map to the client's exception types.
/// </summary>
public sealed class WireClientInteropTests : IAsyncLifetime
{
    private LocalCloudServer _cloud = null!;
    private AwsClients _clients = null!;

    public async Task InitializeAsync()
    {
        _cloud = await LocalCloudServer.StartAsync(new LocalCloudOptions
        {
            Signatures = SignatureVerification.VerifyWithKeys(new Dictionary<string, string> { [AwsTestClients.AccessKey] = AwsTestClients.SecretKey }),
        });
        _clients = AwsTestClients.Create(AwsTestClients.Options(_cloud.Endpoint));
    }

    public async Task DisposeAsync()
    {
        _clients.Dispose();
        await _cloud.DisposeAsync();
    }

    private static CodeBuildProject Project(string name) => new()
    {
        Name = name,
        Source = new ProjectSource { Type = "GITHUB", Location = "https://github.com/acme/website.git", Buildspec = "version: 0.2" },
        Artifacts = new ProjectArtifacts { Type = "NO_ARTIFACTS" },
        Environment = new ProjectEnvironment { Type = "LINUX_CONTAINER", Image = "aws/codebuild/standard:7.0", ComputeType = "BUILD_GENERAL1_SMALL" },
        ServiceRole = "arn:aws:iam::123456789012:role/pulumi-codebuild",
    };

    [Fact]
    public async Task Requests_signed_by_the_client_pass_LocalClouds_recomputed_signature()
    {
        var created = await _clients.CodeBuild.CreateProjectAsync(Project("interop"), CancellationToken.None);
        var found = await _clients.CodeBuild.BatchGetProjectsAsync(["interop", "absent"], CancellationToken.None);

        Assert.Equal("arn:aws:codebuild:us-east-1:123456789012:project/interop", created.Arn);
        Assert.Equal(created.Created, Assert.Single(found.Projects).Created);
        Assert.Equal(["absent"], found.ProjectsNotFound);
        Assert.Equal(2, _cloud.Counters["CodeBuild.CreateProject"].Succeeded + _cloud.Counters["CodeBuild.BatchGetProjects"].Succeeded);
    }

    [Fact]
    public async Task LocalClouds_errors_map_to_the_clients_exception_types_with_the_request_id()
    {
        await _clients.CodeBuild.CreateProjectAsync(Project("twice"), CancellationToken.None);

        var exists = await Assert.ThrowsAsync<AwsAlreadyExistsException>(() => _clients.CodeBuild.CreateProjectAsync(Project("twice"), CancellationToken.None));
        var missing = await Assert.ThrowsAsync<AwsNotFoundException>(() => _clients.CodePipeline.GetPipelineAsync("absent", CancellationToken.None));

        Assert.Equal("ResourceAlreadyExistsException", exists.ErrorCode);
        Assert.Equal("PipelineNotFoundException", missing.ErrorCode);
        Assert.NotNull(missing.RequestId);
    }

    [Fact]
    public async Task Under_injected_throttling_the_client_retries_until_it_gets_through()
    {
        _cloud.SetFaults(FaultSettings.Everywhere(throttleRatio: 0.3, seed: 11));

        for (var i = 0; i < 20; i++)
        {
            await _clients.Ssm.ParameterExistsAsync("/pulumi/access-token", CancellationToken.None);
        }

        var counts = _cloud.Counters["SSM.DescribeParameters"];
        Assert.Equal(20, counts.Succeeded);
        Assert.True(counts.Throttled > 0, "some requests were throttled and retried");
        Assert.Equal(counts.Succeeded + counts.Throttled, counts.Requests);
    }
}
