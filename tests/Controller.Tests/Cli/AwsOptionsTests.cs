using System.CommandLine;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Cli;

namespace Reconciler.Controller.Tests.Cli;

public sealed class AwsOptionsTests
{
    private static AwsClientOptions Resolve(params string[] args)
    {
        var aws = new AwsOptions();
        var command = new Command("x");
        aws.AddTo(command);
        return aws.Resolve(command.Parse(args));
    }

    [Fact]
    public void The_rate_limit_sets_the_sustained_rate_with_bursts_of_twice_it()
    {
        var options = Resolve("--aws-rate-limit", "5.5");

        Assert.Equal(5.5, options.RateLimit.PermitsPerSecond);
        Assert.Equal(11, options.RateLimit.Burst);
        Assert.Equal(new AwsRateLimitSettings().QueueLimit, options.RateLimit.QueueLimit);
    }

    [Fact]
    public void A_rate_limit_of_0_turns_the_limiter_off_and_none_keeps_the_default()
    {
        Assert.Equal(0, Resolve("--aws-rate-limit", "0").RateLimit.PermitsPerSecond);
        Assert.Equal(new AwsRateLimitSettings(), Resolve().RateLimit);
    }

    [Theory]
    [InlineData("-1")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    [InlineData("twenty")]
    public void A_rate_limit_that_is_not_a_number_of_0_or_more_is_refused_naming_the_option(string value)
    {
        var error = Assert.Throws<FormatException>(() => Resolve("--aws-rate-limit", value));

        Assert.StartsWith($"--aws-rate-limit '{value}' is not valid", error.Message, StringComparison.Ordinal);
    }
}
