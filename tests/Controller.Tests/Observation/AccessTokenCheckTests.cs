using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;
using Reconciler.Model.Documents;

namespace Reconciler.Controller.Tests.Observation;

/// <summary>The access-token check against LocalCloud's Parameter Store and Secrets Manager over HTTP, on a fake clock for its memory.</summary>
public sealed class AccessTokenCheckTests : IAsyncLifetime
{
    private const string Token = "/pulumi/access-token";
    private readonly FakeTimeProvider _time = new();
    private EmbeddedCloud _cloud = null!;

    private const string Secret = "pulumi/access-token";

    public async Task InitializeAsync() => _cloud = await EmbeddedCloud.StartAsync([Token], secrets: [Secret]);

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private long Calls => _cloud.Server.Counters["SSM.DescribeParameters"].Requests;

    private long SecretCalls => _cloud.Server.Counters["SecretsManager.DescribeSecret"].Requests;

    private AccessTokenCheck NewCheck() => new(_cloud.Clients.Ssm, _cloud.Clients.SecretsManager, _time, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));

    [Fact]
    public void Concurrent_checks_of_one_parameter_make_one_call()
    {
        // A client slow to start its call holds the race open: every check that arrives meanwhile must share it.
        var check = new AccessTokenCheck(new SlowToStart(_cloud.Clients.Ssm), null, _time, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
        // Threads of their own, released together, so the checks truly overlap whatever the thread pool's size.
        var answers = new bool[4];
        using var start = new Barrier(answers.Length);
        var threads = Enumerable.Range(0, answers.Length).Select(i => new Thread(() =>
        {
            start.SignalAndWait();
            answers[i] = check.ExistsAsync(Token, CancellationToken.None).GetAwaiter().GetResult();
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());

        Assert.All(answers, Assert.True);
        Assert.Equal(1, Calls);
    }

    [Fact]
    public async Task An_answer_is_remembered_for_its_period_then_asked_again()
    {
        var check = NewCheck();

        Assert.True(await check.ExistsAsync(Token, CancellationToken.None));
        Assert.False(await check.ExistsAsync("/pulumi/nowhere", CancellationToken.None));
        _time.Advance(TimeSpan.FromSeconds(59));
        Assert.True(await check.ExistsAsync(Token, CancellationToken.None));
        Assert.False(await check.ExistsAsync("/pulumi/nowhere", CancellationToken.None));
        Assert.Equal(2, Calls);

        // A missing parameter is asked for again sooner than an existing one: someone is probably creating it.
        _time.Advance(TimeSpan.FromSeconds(2));
        _cloud.Server.State.AddParameter("/pulumi/nowhere");
        Assert.True(await check.ExistsAsync("/pulumi/nowhere", CancellationToken.None));
        Assert.True(await check.ExistsAsync(Token, CancellationToken.None));
        Assert.Equal(3, Calls);

        _time.Advance(TimeSpan.FromMinutes(10));
        Assert.True(await check.ExistsAsync(Token, CancellationToken.None));
        Assert.Equal(4, Calls);
    }

    [Fact]
    public async Task A_secret_is_found_by_name_and_by_ARN_through_DescribeSecret_only()
    {
        var check = NewCheck();
        var arn = _cloud.Server.State.FindSecret(Secret)!.Arn;

        Assert.True(await check.ExistsAsync(new AccessTokenSpec { Secret = Secret, JsonKey = "token" }, CancellationToken.None));
        Assert.True(await check.ExistsAsync(new AccessTokenSpec { Secret = arn }, CancellationToken.None));
        Assert.False(await check.ExistsAsync(new AccessTokenSpec { Secret = "pulumi/elsewhere" }, CancellationToken.None));

        Assert.Equal(3, SecretCalls);
        Assert.Equal(0, Calls);
        Assert.Equal(["SecretsManager.DescribeSecret"], _cloud.Server.Counters.Snapshot().Keys.Where(k => k.StartsWith("SecretsManager.", StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_secret_without_the_named_version_stage_or_scheduled_for_deletion_is_missing()
    {
        var check = NewCheck();

        Assert.True(await check.ExistsAsync(new AccessTokenSpec { Secret = Secret, VersionStage = "AWSCURRENT" }, CancellationToken.None));
        Assert.False(await check.ExistsAsync(new AccessTokenSpec { Secret = Secret, VersionStage = "AWSPREVIOUS" }, CancellationToken.None));
        Assert.False(await check.ExistsAsync(new AccessTokenSpec { Secret = Secret, VersionId = new string('0', 32) }, CancellationToken.None));

        _cloud.Server.State.ScheduleSecretDeletion(Secret);
        _time.Advance(TimeSpan.FromMinutes(10));

        Assert.False(await check.ExistsAsync(new AccessTokenSpec { Secret = Secret }, CancellationToken.None));
    }

    [Fact]
    public async Task A_parameter_and_a_secret_of_the_same_name_are_different_tokens()
    {
        var check = NewCheck();
        _cloud.Server.State.AddSecret(Token);

        Assert.True(await check.ExistsAsync(new AccessTokenSpec { Parameter = Token }, CancellationToken.None));
        Assert.True(await check.ExistsAsync(new AccessTokenSpec { Secret = Token }, CancellationToken.None));

        Assert.Equal(1, Calls);
        Assert.Equal(1, SecretCalls);
    }

    /// <summary>The real client, with a delay before each call starts, as a cold connection or a slow signer would add.</summary>
    private sealed class SlowToStart(ISsmClient inner) : ISsmClient
    {
        public Task<bool> ParameterExistsAsync(string name, CancellationToken cancellationToken)
        {
            Thread.Sleep(50);
            return inner.ParameterExistsAsync(name, cancellationToken);
        }
    }
}
