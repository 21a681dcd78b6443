using System.Net;
using Reconciler.LocalCloud.Faults;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.LocalCloud;

public sealed class FaultInjectionTests : IClassFixture<LocalCloudFixture>, IDisposable
{
    private readonly LocalCloudFixture _fixture;

    public FaultInjectionTests(LocalCloudFixture fixture)
    {
        _fixture = fixture;
        fixture.Server.SetFaults(FaultSettings.None);
        fixture.Server.Counters.Reset();
    }

    public void Dispose() => _fixture.Server.SetFaults(FaultSettings.None);

    private async Task<List<HttpStatusCode>> ListProjects(int times)
    {
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < times; i++)
        {
            statuses.Add((await _fixture.Client.CodeBuild("ListProjects", "{}")).Status);
        }
        return statuses;
    }

    [Fact]
    public async Task A_throttle_ratio_throttles_exactly_the_requests_its_seeded_draws_pick()
    {
        _fixture.Server.SetFaults(FaultSettings.Everywhere(throttleRatio: 0.3, seed: 7));

        var statuses = await ListProjects(100);

        // The contract: one draw per request from System.Random(seed); a draw below the ratio throttles.
        var draws = new Random(7);
        var expected = Enumerable.Range(0, 100).Count(_ => draws.NextDouble() < 0.3);
        var throttled = statuses.Count(s => s == HttpStatusCode.BadRequest);
        Assert.Equal(expected, throttled);
        Assert.InRange(throttled, 20, 40);
        Assert.Equal(new Reconciler.LocalCloud.OperationCounts(100, 100 - throttled, 0, throttled, 0), _fixture.Server.Counters["CodeBuild.ListProjects"]);
    }

    [Fact]
    public async Task The_same_seed_gives_the_same_faults_again()
    {
        var settings = FaultSettings.Everywhere(throttleRatio: 0.2, errorRatio: 0.2, seed: 42);
        _fixture.Server.SetFaults(settings);
        var first = await ListProjects(30);
        _fixture.Server.SetFaults(settings);
        var second = await ListProjects(30);

        Assert.Equal(first, second);
        Assert.Contains(HttpStatusCode.OK, first);
        Assert.Contains(HttpStatusCode.BadRequest, first);
    }

    [Fact]
    public async Task Server_errors_are_500_InternalFailure_or_503_ServiceUnavailable_and_counted_apart()
    {
        _fixture.Server.SetFaults(FaultSettings.Everywhere(errorRatio: 0.5, seed: 3));
        var answers = new List<AwsAnswer>();
        for (var i = 0; i < 40; i++)
        {
            answers.Add(await _fixture.Client.CodeBuild("BatchGetProjects", """{ "names": ["x1"] }"""));
        }

        var internalFailures = answers.Where(a => a.Status == HttpStatusCode.InternalServerError).ToList();
        var unavailable = answers.Where(a => a.Status == HttpStatusCode.ServiceUnavailable).ToList();
        Assert.NotEmpty(internalFailures);
        Assert.NotEmpty(unavailable);
        Assert.All(internalFailures, a => Assert.Equal("com.amazon.coral.service#InternalFailure", a.ErrorType));
        Assert.All(unavailable, a => Assert.Equal("com.amazon.coral.service#ServiceUnavailable", a.ErrorType));
        var counts = _fixture.Server.Counters["CodeBuild.BatchGetProjects"];
        Assert.Equal(internalFailures.Count + unavailable.Count, counts.ServerErrors);
        Assert.Equal(40 - counts.ServerErrors, counts.Succeeded);
        Assert.Equal(0, counts.Throttled);
    }

    [Fact]
    public async Task The_most_specific_rule_wins_and_other_operations_are_untouched()
    {
        _fixture.Server.SetFaults(new FaultSettings(
        [
            new FaultRule("*", ThrottleRatio: 1),
            new FaultRule("CodeBuild.*", ThrottleRatio: 0),
            new FaultRule("ListProjects", ThrottleRatio: 1),
        ]));

        var listed = await _fixture.Client.CodeBuild("ListProjects", "{}");
        var batch = await _fixture.Client.CodeBuild("BatchGetProjects", """{ "names": ["x1"] }""");
        var pipelines = await _fixture.Client.CodePipeline("ListPipelines", "{}");

        Assert.Equal("com.amazon.coral.availability#ThrottlingException", listed.ErrorType);
        Assert.Equal("Rate exceeded", listed.Message);
        batch.EnsureOk();
        Assert.Equal("com.amazon.coral.availability#ThrottlingException", pipelines.ErrorType);
    }

    [Fact]
    public async Task Latency_holds_the_answer_until_that_much_time_has_passed()
    {
        _fixture.Server.SetFaults(new FaultSettings([new FaultRule("CodeBuild.ListProjects", LatencyMs: 2000)]));

        var call = _fixture.Client.CodeBuild("ListProjects", "{}");
        await _fixture.Server.Faults.Holds.WhenHeldAsync("CodeBuild.ListProjects", 1).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.Equal(1, _fixture.Server.Faults.Holds.Held("CodeBuild.ListProjects"));

        // Held on the fake clock: a millisecond short of the latency, the answer cannot have left.
        _fixture.Time.Advance(TimeSpan.FromMilliseconds(1999));
        Assert.False(call.IsCompleted, "answered before the latency had passed");
        Assert.Equal(1, _fixture.Server.Faults.Holds.Held("CodeBuild.ListProjects"));

        _fixture.Time.Advance(TimeSpan.FromMilliseconds(1));
        (await call.WaitAsync(TimeSpan.FromSeconds(30))).EnsureOk();
        Assert.Equal(0, _fixture.Server.Faults.Holds.Held("CodeBuild.ListProjects"));
    }

    [Fact]
    public async Task Faults_come_after_the_signature_check_so_a_rejected_request_is_not_throttled()
    {
        _fixture.Server.SetFaults(FaultSettings.Everywhere(throttleRatio: 1));

        var answer = await _fixture.Client.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}", new RequestTweak { Sign = false });

        Assert.Equal("com.amazon.coral.service#MissingAuthenticationTokenException", answer.ErrorType);
        Assert.Equal(new Reconciler.LocalCloud.OperationCounts(1, 0, 1, 0, 0), _fixture.Server.Counters["CodeBuild.ListProjects"]);
    }

    [Theory]
    [InlineData(1.5, 0, 0, "throttleRatio 1.5 is outside 0..1")]
    [InlineData(0.6, 0.6, 0, "throttleRatio + errorRatio exceeds 1")]
    [InlineData(0, 0, -1, "latencyMs -1 is negative")]
    public void Impossible_fault_settings_are_refused(double throttle, double error, int latency, string problem)
    {
        var settings = FaultSettings.Everywhere(throttle, error, latency);

        var refused = Assert.Throws<ArgumentException>(() => _fixture.Server.SetFaults(settings));

        Assert.Contains(problem, refused.Message, StringComparison.Ordinal);
    }
}
