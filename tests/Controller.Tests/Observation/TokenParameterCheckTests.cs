using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Observation;

namespace Reconciler.Controller.Tests.Observation;

/// <summary>The token-parameter check against LocalCloud's Parameter Store over HTTP, on a fake clock for its memory.</summary>
public sealed class TokenParameterCheckTests : IAsyncLifetime
{
    private const string Token = "/pulumi/access-token";
    private readonly FakeTimeProvider _time = new();
    private EmbeddedCloud _cloud = null!;

    public async Task InitializeAsync() => _cloud = await EmbeddedCloud.StartAsync([Token]);

    public async Task DisposeAsync() => await _cloud.DisposeAsync();

    private long Calls => _cloud.Server.Counters["SSM.DescribeParameters"].Requests;

    private TokenParameterCheck NewCheck() => new(_cloud.Clients.Ssm, _time, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));

    [Fact]
    public void Concurrent_checks_of_one_parameter_make_one_call()
    {
        // A client slow to start its call holds the race open: every check that arrives meanwhile must share it.
        var check = new TokenParameterCheck(new SlowToStart(_cloud.Clients.Ssm), _time, TimeSpan.FromMinutes(10), TimeSpan.FromMinutes(1));
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
