using System.Net.Http.Headers;
using System.Text;
using Amazon.Runtime;
using Reconciler.Controller.Aws;

namespace Reconciler.Controller.Tests.Aws;

// Vectors from AWS's published Signature Version 4 test suite (credentials AKIDEXAMPLE, 2015-08-30T12:36:00Z,
// us-east-1, service "service").
public class SigV4SignerTests
{
    private static readonly ImmutableCredentials Keys = new("AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", null);
    private static readonly DateTimeOffset SuiteTime = new(2015, 8, 30, 12, 36, 0, TimeSpan.Zero);
    private const string Scope = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, ";

    private static string Authorization(HttpRequestMessage request, string body = "")
    {
        SigV4Signer.Sign(request, Encoding.UTF8.GetBytes(body), Keys, "us-east-1", "service", SuiteTime);
        return string.Join(",", request.Headers.GetValues("Authorization"));
    }

    [Fact]
    public void Get_vanilla()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        Assert.Equal(Scope + "SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", Authorization(request));
        Assert.Equal("20150830T123600Z", request.Headers.GetValues("X-Amz-Date").Single());
    }

    [Fact]
    public void Post_vanilla_with_its_published_canonical_request()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        Assert.Equal(Scope + "SignedHeaders=host;x-amz-date, Signature=5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b", Authorization(request));
        var (canonical, signed) = SigV4Signer.CanonicalRequest(request, []);
        Assert.Equal("POST\n/\n\nhost:example.amazonaws.com\nx-amz-date:20150830T123600Z\n\nhost;x-amz-date\ne3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", canonical);
        Assert.Equal("host;x-amz-date", signed);
    }

    [Fact]
    public void Post_x_www_form_urlencoded_signs_the_body_and_content_type()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/") { Content = new ByteArrayContent("Param1=value1"u8.ToArray()) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-www-form-urlencoded");
        Assert.Equal(Scope + "SignedHeaders=content-type;host;x-amz-date, Signature=ff11897932ad3f4e8b18135d722051e5ac45fc38421b1da7b9d196a0fe09473a", Authorization(request, "Param1=value1"));
    }

    [Fact]
    public void Get_vanilla_query_order_key_case_sorts_the_query()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/?Param2=value2&Param1=value1");
        Assert.EndsWith("Signature=b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500", Authorization(request));
    }

    [Fact]
    public void A_changed_body_changes_the_signature()
    {
        var a = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        var b = new HttpRequestMessage(HttpMethod.Post, "https://example.amazonaws.com/");
        Assert.NotEqual(Authorization(a, "{\"names\":[\"a\"]}"), Authorization(b, "{\"names\":[\"b\"]}"));
    }

    [Fact]
    public void Session_credentials_add_and_sign_the_security_token()
    {
        var request = new HttpRequestMessage(HttpMethod.Post, "https://codebuild.us-east-1.amazonaws.com/") { Content = new ByteArrayContent([]) };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/x-amz-json-1.1");
        request.Headers.TryAddWithoutValidation("X-Amz-Target", "CodeBuild_20161006.ListProjects");
        SigV4Signer.Sign(request, [], new ImmutableCredentials("ASIAEXAMPLE", "secret", "session-token"), "us-east-1", "codebuild", SuiteTime);

        Assert.Equal("session-token", request.Headers.GetValues("X-Amz-Security-Token").Single());
        var authorization = request.Headers.GetValues("Authorization").Single();
        Assert.Contains("Credential=ASIAEXAMPLE/20150830/us-east-1/codebuild/aws4_request", authorization, StringComparison.Ordinal);
        Assert.Contains("SignedHeaders=content-type;host;x-amz-date;x-amz-security-token;x-amz-target,", authorization, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", authorization, StringComparison.Ordinal);
    }

    [Fact]
    public void Signing_twice_replaces_the_previous_signature()
    {
        var request = new HttpRequestMessage(HttpMethod.Get, "https://example.amazonaws.com/");
        Authorization(request);
        Assert.EndsWith("5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31", Authorization(request));
        Assert.Single(request.Headers.GetValues("X-Amz-Date"));
    }
}
