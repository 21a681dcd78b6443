using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using Reconciler.Model.Validation;

namespace Reconciler.Model.Tests.Validation;

/// <summary>A valid document to break one rule at a time, and assertions on what the validator says about it.</summary>
internal static class TestDocuments
{
    public const string Source = "test.json";

    public const string Website = """
        {
          "apiVersion": "reconciler/v1",
          "kind": "PulumiPipeline",
          "metadata": { "name": "website", "labels": { "team": "web" } },
          "spec": {
            "source": {
              "type": "GITHUB",
              "location": "https://github.com/acme/website.git",
              "connectionArn": "arn:aws:codestar-connections:us-east-1:111122223333:connection/abc"
            },
            "pulumi": { "workDir": "infra", "cliVersion": "3.140.0", "accessTokenParameter": "/pulumi/access-token" },
            "build": {
              "image": "aws/codebuild/standard:7.0",
              "computeType": "BUILD_GENERAL1_SMALL",
              "serviceRoleArn": "arn:aws:iam::111122223333:role/pulumi-codebuild",
              "timeoutMinutes": 60,
              "environment": [ { "name": "AWS_REGION", "value": "us-east-1" } ]
            },
            "stages": [
              { "name": "preview", "stack": "acme/website/staging", "operation": "preview", "on": { "pullRequest": { "baseBranch": "main" } } },
              { "name": "staging", "stack": "acme/website/staging", "operation": "up", "on": { "push": { "branch": "main" } } },
              { "name": "production", "stack": "acme/website/production", "operation": "up", "on": { "tag": "production" } }
            ],
            "driftPolicy": "Correct",
            "deletionPolicy": "Delete",
            "tags": { "cost-center": "web" }
          }
        }
        """;

    /// <summary>The website document with its pipeline enabled and complete.</summary>
    public static string WithPipeline(Action<JsonObject>? change = null) => Mutate(doc =>
    {
        doc["spec"]!["pipeline"] = new JsonObject
        {
            ["enabled"] = true,
            ["roleArn"] = "arn:aws:iam::111122223333:role/pulumi-codepipeline",
            ["artifactBucket"] = "acme-pipeline-artifacts",
        };
        change?.Invoke(doc);
    });

    public static string Mutate(Action<JsonObject> change)
    {
        var doc = JsonNode.Parse(Website)!.AsObject();
        change(doc);
        // Relaxed escaping keeps non-ASCII text as written, as a person would type it.
        return doc.ToJsonString(new JsonSerializerOptions { WriteIndented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    public static JsonObject Spec(this JsonObject doc) => doc["spec"]!.AsObject();

    public static JsonObject Stage(this JsonObject doc, int index) => doc.Spec()["stages"]![index]!.AsObject();

    public static JsonObject Build(this JsonObject doc) => doc.Spec()["build"]!.AsObject();

    public static ValidationResult Validate(string text) => SpecValidator.Validate(Source, text);

    /// <summary>Asserts exactly one error, at <paramref name="path"/>, whose message contains every fragment (what is wrong, what is allowed).</summary>
    public static ValidationError SingleError(string text, string path, params string[] fragments)
    {
        var result = Validate(text);
        Assert.False(result.IsValid);
        Assert.Null(result.Document);
        var error = Assert.Single(result.Errors);
        Assert.Equal(Source, error.Source);
        Assert.Equal(path, error.Path);
        foreach (var fragment in fragments)
        {
            Assert.Contains(fragment, error.Message, StringComparison.Ordinal);
        }
        return error;
    }

    public static void Valid(string text)
    {
        var result = Validate(text);
        Assert.True(result.IsValid, string.Join(Environment.NewLine, result.Errors));
        Assert.NotNull(result.Document);
    }
}
