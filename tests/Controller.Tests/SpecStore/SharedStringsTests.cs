using Reconciler.Controller.Store;

namespace Reconciler.Controller.Tests.SpecStore;

public sealed class SharedStringsTests
{
    // Built at run time, so the compiler's interning cannot make two of them one instance.
    private static string Make(string text) => new(text.AsSpan());

    [Fact]
    public void Equal_values_come_back_as_the_first_instance()
    {
        var strings = new SharedStrings();
        var first = Make("arn:aws:iam::111122223333:role/pulumi-codebuild");
        var second = Make("arn:aws:iam::111122223333:role/pulumi-codebuild");
        Assert.NotSame(first, second);

        Assert.Same(first, strings.Share(first));
        Assert.Same(first, strings.Share(second));
    }

    [Fact]
    public void Values_longer_than_the_limit_pass_through()
    {
        var strings = new SharedStrings();
        var first = Make(new string('x', SharedStrings.MaxLength + 1));
        var second = Make(first);
        strings.Share(first);

        Assert.Same(second, strings.Share(second));
    }

    [Fact]
    public void A_value_pushed_out_of_its_slot_comes_back_equal_and_takes_the_slot_again()
    {
        var strings = new SharedStrings(slots: 1);
        var common = Make("Ready");
        strings.Share(common);
        var unique = Make("s00042-staging");

        Assert.Same(unique, strings.Share(unique));
        var again = Make("Ready");
        Assert.Same(again, strings.Share(again));
        Assert.Same(again, strings.Share(Make("Ready")));
    }
}
