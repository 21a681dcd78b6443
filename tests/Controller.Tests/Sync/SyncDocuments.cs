using System.Text.Json.Nodes;

namespace Reconciler.Controller.Tests.Sync;

/// <summary>Valid spec documents for sync tests, as JSON or YAML text, with a name and one value that the tests change.</summary>
internal static class SyncDocuments
{
    public static string Json(string name, int timeoutMinutes = 60, IReadOnlyDictionary<string, string>? annotations = null)
    {
        var document = JsonNode.Parse(File.ReadAllText(Reconciler.Tests.Shared.RepositoryPaths.Combine("samples", "specs", "website.json")))!;
        document["metadata"]!["name"] = name;
        document["spec"]!["build"]!["timeoutMinutes"] = timeoutMinutes;
        if (annotations is not null)
        {
            document["metadata"]!["annotations"] = new JsonObject(annotations.Select(a => KeyValuePair.Create(a.Key, (JsonNode?)JsonValue.Create(a.Value))));
        }
        return document.ToJsonString(new System.Text.Json.JsonSerializerOptions { WriteIndented = true });
    }

    public static string Yaml(string name, int timeoutMinutes = 60) => $"""
        apiVersion: reconciler/v1
        kind: PulumiPipeline
        metadata:
          name: {name}
        spec:
          source:
            type: GITHUB
            location: https://github.com/acme/{name}.git
            connectionArn: arn:aws:codestar-connections:us-east-1:111122223333:connection/abc
          pulumi:
            workDir: infra
            cliVersion: 3.140.0
            accessTokenParameter: /pulumi/access-token
          build:
            serviceRoleArn: arn:aws:iam::111122223333:role/pulumi-codebuild
            timeoutMinutes: {timeoutMinutes}
          stages:
            - name: staging
              stack: acme/{name}/staging
              operation: up
              on:
                push:
                  branch: main

        """;
}
