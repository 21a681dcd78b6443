using Reconciler.LocalCloud.Signing;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>SigV4 against the published AWS test suite (aws-sig-v4-test-suite, key AKIDEXAMPLE, 2015-08-30T12:36:00Z, us-east-1, "service").</summary>
public sealed class SigV4Tests
{
    private const string Secret = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    private const string AmzDate = "20150830T123600Z";
    private const string EmptyHash = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly (string, string)[] VanillaHeaders = [("Host", "example.amazonaws.com"), ("X-Amz-Date", AmzDate)];

    [Theory]
    [InlineData("GET", "", "5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31")] // get-vanilla
    [InlineData("GET", "Param2=value2&Param1=value1", "b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500")] // get-vanilla-query-order-key-case
    [InlineData("POST", "", "5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b")] // post-vanilla
    public void Signatures_match_the_published_test_suite(string method, string query, string expected)
    {
        var signature = SigV4.ComputeSignature(Secret, AmzDate, "us-east-1", "service", method, "/", query, VanillaHeaders, EmptyHash);

        Assert.Equal(expected, signature);
    }

    [Fact]
    public void The_canonical_request_of_post_x_www_form_urlencoded_hashes_its_body()
    {
        var body = "Param1=value1"u8;
        var headers = new[] { ("Content-Type", "application/x-www-form-urlencoded"), ("Host", "example.amazonaws.com"), ("X-Amz-Date", AmzDate) };

        var canonical = SigV4.CanonicalRequest("POST", "/", "", headers, SigV4.HashHex(body));
        var signature = SigV4.ComputeSignature(Secret, AmzDate, "us-east-1", "service", "POST", "/", "", headers, SigV4.HashHex(body));

        Assert.Equal(
            "POST\n/\n\ncontent-type:application/x-www-form-urlencoded\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\n" +
            "content-type;host;x-amz-date\n9095672bbd1f56dfc5b65f3e153adc8731a4a654192329106275f4c7b24d0b6e",
            canonical);
        Assert.Equal("ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", signature);
    }

    [Fact]
    public void Header_values_are_trimmed_and_inner_space_runs_collapse()
    {
        Assert.Equal("a b c", SigV4.CanonicalHeaderValue("  a   b c  "));
    }

    [Theory]
    [InlineData("/", "/")]
    [InlineData("/a/./b/../c", "/a/c")]
    [InlineData("/a b/", "/a%20b/")]
    public void Paths_are_normalized_and_encoded(string raw, string canonical)
    {
        Assert.Equal(canonical, SigV4.CanonicalPath(raw));
    }

    [Fact]
    public void The_authorization_header_parses_into_credential_scope_signed_headers_and_signature()
    {
        var header = AuthorizationHeader.Parse(
            "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=abc");

        Assert.Equal(new AuthorizationHeader("AKIDEXAMPLE", "20150830", "us-east-1", "service", ["host", "x-amz-date"], "abc") with { SignedHeaders = header.SignedHeaders }, header);
        Assert.Equal(["host", "x-amz-date"], header.SignedHeaders);
    }
}
