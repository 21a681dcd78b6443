using System.Text;
using Microsoft.Extensions.Time.Testing;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>GitLab's signing-token deliveries (<c>webhook-signature</c>, Standard Webhooks form) beside the GitHub and token forms.</summary>
public sealed class GitHookSignatureTests
{
    private static readonly byte[] Body = Encoding.UTF8.GetBytes("""{"ref":"refs/heads/main"}""");
    private static readonly DateTimeOffset Now = new(2026, 12, 1, 12, 0, 0, TimeSpan.Zero);

    private static GitHookHeaders Signed(GitHookSignature sender, string id = "msg_1", long? timestamp = null, byte[]? body = null)
    {
        var sent = timestamp ?? Now.ToUnixTimeSeconds();
        return new GitHookHeaders(Signature: sender.SignDelivery(body ?? Body, id, sent), Id: id, Timestamp: sent.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact]
    public void A_delivery_signed_with_the_secret_is_accepted_and_one_signed_otherwise_is_refused()
    {
        var receiver = new GitHookSignature("hook-secret", new FakeTimeProvider(Now));

        Assert.True(receiver.IsValid(Body, Signed(new GitHookSignature("hook-secret"))));
        Assert.False(receiver.IsValid(Body, Signed(new GitHookSignature("hook-secreT"))));
        Assert.False(receiver.IsValid(Encoding.UTF8.GetBytes("""{"ref":"refs/heads/evil"}"""), Signed(new GitHookSignature("hook-secret"))));
    }

    [Fact]
    public void The_id_and_timestamp_are_part_of_what_is_signed()
    {
        var receiver = new GitHookSignature("hook-secret", new FakeTimeProvider(Now));
        var good = Signed(receiver);

        Assert.False(receiver.IsValid(Body, good with { Id = "msg_2" }));
        Assert.False(receiver.IsValid(Body, good with { Timestamp = (Now.ToUnixTimeSeconds() + 1).ToString(System.Globalization.CultureInfo.InvariantCulture) }));
        Assert.False(receiver.IsValid(Body, good with { Id = null }));
        Assert.False(receiver.IsValid(Body, good with { Timestamp = "soon" }));
    }

    [Fact]
    public void A_delivery_outside_the_tolerance_is_refused_so_a_captured_one_cannot_be_replayed()
    {
        var clock = new FakeTimeProvider(Now);
        var receiver = new GitHookSignature("hook-secret", clock);
        var delivery = Signed(receiver);

        clock.Advance(GitHookSignature.Tolerance);
        Assert.True(receiver.IsValid(Body, delivery));
        clock.Advance(TimeSpan.FromSeconds(1));
        Assert.False(receiver.IsValid(Body, delivery));
        Assert.False(receiver.IsValid(Body, Signed(receiver, timestamp: Now.Add(GitHookSignature.Tolerance).ToUnixTimeSeconds() + 60 * 10)));
    }

    [Fact]
    public void One_valid_signature_among_several_is_enough_as_during_a_secret_rotation()
    {
        var receiver = new GitHookSignature("hook-secret", new FakeTimeProvider(Now));
        var good = Signed(receiver);
        var old = Signed(new GitHookSignature("old-secret"));

        Assert.True(receiver.IsValid(Body, good with { Signature = $"{old.Signature} {good.Signature}" }));
        Assert.False(receiver.IsValid(Body, good with { Signature = $"{old.Signature} v2,{good.Signature![3..]}" }));
        Assert.False(receiver.IsValid(Body, good with { Signature = "v1,not-base64!" }));
    }

    [Fact]
    public void A_standard_webhooks_secret_is_its_decoded_key()
    {
        var key = Encoding.UTF8.GetBytes("0123456789abcdef0123456789abcdef");
        var receiver = new GitHookSignature("whsec_" + Convert.ToBase64String(key), new FakeTimeProvider(Now));
        var expected = "v1," + Convert.ToBase64String(System.Security.Cryptography.HMACSHA256.HashData(key,
            Encoding.UTF8.GetBytes($"msg_1.{Now.ToUnixTimeSeconds()}.").Concat(Body).ToArray()));

        Assert.Equal(expected, receiver.SignDelivery(Body, "msg_1", Now.ToUnixTimeSeconds()));
        Assert.True(receiver.IsValid(Body, new GitHookHeaders(Signature: expected, Id: "msg_1", Timestamp: Now.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture))));
    }

    [Fact]
    public void No_proof_at_all_is_refused()
    {
        Assert.False(new GitHookSignature("hook-secret").IsValid(Body, new GitHookHeaders()));
        Assert.True(new GitHookHeaders().IsEmpty);
    }
}
