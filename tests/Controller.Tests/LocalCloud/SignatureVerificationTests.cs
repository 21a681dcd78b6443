using System.Net;
using Reconciler.LocalCloud;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.Controller.Tests.LocalCloud;

/// <summary>LocalCloud recomputes SigV4 with the test keys: a signed request passes, a tampered or mis-scoped one does not.</summary>
public sealed class SignatureVerificationTests(LocalCloudFixture fixture) : IClassFixture<LocalCloudFixture>
{
    private const string Body = """{ "names": ["website-staging"] }""";
    private const string Mismatch = "The request signature we calculated does not match the signature you provided";

    private Task<AwsAnswer> BatchGet(RequestTweak tweak) => fixture.Client.CallAsync(ApiModels.CodeBuild, "BatchGetProjects", Body, tweak);

    private static void AssertRejected(AwsAnswer answer, string code, string message)
    {
        Assert.Equal(HttpStatusCode.Forbidden, answer.Status);
        Assert.Equal($"com.amazon.coral.service#{code}", answer.ErrorType);
        Assert.Contains(message, answer.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_request_signed_with_a_known_key_for_the_right_scope_is_answered()
    {
        (await BatchGet(new RequestTweak())).EnsureOk();
    }

    [Fact]
    public async Task A_body_changed_after_signing_is_rejected()
    {
        var answer = await BatchGet(new RequestTweak { BodyAfterSigning = """{ "names": ["website-production"] }""" });

        AssertRejected(answer, "InvalidSignatureException", Mismatch);
    }

    [Fact]
    public async Task A_signed_header_changed_after_signing_is_rejected()
    {
        var answer = await BatchGet(new RequestTweak
        {
            AfterSigning = r =>
            {
                r.Headers.Remove("X-Amz-Date");
                r.Headers.Add("X-Amz-Date", Reconciler.LocalCloud.Signing.SigV4.FormatAmzDate(fixture.Time.GetUtcNow().AddSeconds(1)));
            },
        });

        AssertRejected(answer, "InvalidSignatureException", Mismatch);
    }

    [Fact]
    public async Task A_wrong_secret_is_rejected()
    {
        AssertRejected(await BatchGet(new RequestTweak { SecretAccessKey = "not-the-secret" }), "InvalidSignatureException", Mismatch);
    }

    [Fact]
    public async Task A_signature_for_another_region_is_rejected()
    {
        var answer = await BatchGet(new RequestTweak { Region = "eu-west-1" });

        AssertRejected(answer, "InvalidSignatureException", "Credential should be scoped to a valid region, not 'eu-west-1'.");
    }

    [Fact]
    public async Task A_signature_for_another_service_is_rejected()
    {
        var answer = await BatchGet(new RequestTweak { Service = "codepipeline" });

        AssertRejected(answer, "InvalidSignatureException", "Credential should be scoped to correct service: 'codebuild'.");
    }

    [Fact]
    public async Task An_unknown_access_key_is_UnrecognizedClientException()
    {
        AssertRejected(await BatchGet(new RequestTweak { AccessKeyId = "AKIAUNKNOWN000000000" }), "UnrecognizedClientException", "security token included in the request is invalid");
    }

    [Fact]
    public async Task An_unsigned_request_is_MissingAuthenticationTokenException()
    {
        AssertRejected(await BatchGet(new RequestTweak { Sign = false }), "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    [Fact]
    public async Task An_authorization_header_without_a_signature_is_IncompleteSignatureException()
    {
        var answer = await BatchGet(new RequestTweak
        {
            AfterSigning = r =>
            {
                var header = r.Headers.GetValues("Authorization").Single();
                r.Headers.Remove("Authorization");
                r.Headers.TryAddWithoutValidation("Authorization", header[..header.IndexOf(", Signature=", StringComparison.Ordinal)]);
            },
        });

        AssertRejected(answer, "IncompleteSignatureException", "Authorization header requires 'Signature' parameter.");
    }

    [Fact]
    public async Task A_signature_older_than_fifteen_minutes_has_expired()
    {
        var answer = await BatchGet(new RequestTweak { SignedAt = fixture.Time.GetUtcNow().AddMinutes(-16) });

        AssertRejected(answer, "InvalidSignatureException", "Signature expired");
    }

    [Fact]
    public async Task RequireSigned_accepts_any_key_but_still_checks_the_scope_and_Off_accepts_unsigned_requests()
    {
        await using var requireSigned = await LocalCloudServer.StartAsync(new LocalCloudOptions { Signatures = SignatureVerification.RequireSigned });
        await using var off = await LocalCloudServer.StartAsync(new LocalCloudOptions { Signatures = SignatureVerification.Off });
        using var http = new HttpClient();
        var anyKey = new AwsJsonTestClient(http, requireSigned.Endpoint, TimeProvider.System, "AKIAANYKEY0000000000", "any-secret", "us-east-1");
        var unsigned = new AwsJsonTestClient(http, off.Endpoint, TimeProvider.System, "", "", "us-east-1");

        (await anyKey.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}")).EnsureOk();
        var wrongRegion = await anyKey.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}", new RequestTweak { Region = "us-west-2" });
        var missing = await anyKey.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}", new RequestTweak { Sign = false });
        (await unsigned.CallAsync(ApiModels.CodeBuild, "ListProjects", "{}", new RequestTweak { Sign = false })).EnsureOk();

        AssertRejected(wrongRegion, "InvalidSignatureException", "valid region");
        AssertRejected(missing, "MissingAuthenticationTokenException", "Missing Authentication Token");
    }

    [Fact]
    public void The_verification_mode_never_prints_a_secret()
    {
        var mode = SignatureVerification.VerifyWithKeys(new Dictionary<string, string> { ["AKIDEXAMPLE"] = "super-secret-value" });

        Assert.Equal("VerifyWithKeys(AKIDEXAMPLE)", mode.ToString());
    }
}
