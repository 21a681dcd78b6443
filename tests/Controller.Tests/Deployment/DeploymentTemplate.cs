using System.Text.Json.Nodes;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>charts-or-ecs/reconciler.yaml evaluated for a set of parameter values, with the parts the tests look at.</summary>
internal sealed record DeploymentTemplate(JsonObject Evaluated)
{
    public static readonly string TemplatePath = RepositoryPaths.Combine("charts-or-ecs", "reconciler.yaml");
    public static readonly string PolicyPath = RepositoryPaths.Combine("charts-or-ecs", "task-role-policy.json");

    /// <summary>The parameters without defaults, given sample values.</summary>
    public static IReadOnlyDictionary<string, string> Required { get; } = new Dictionary<string, string>
    {
        ["ImageUri"] = $"{CloudFormationTemplate.Account}.dkr.ecr.us-east-1.amazonaws.com/reconciler@sha256:{new string('a', 64)}",
        ["Subnets"] = "subnet-0a,subnet-0b",
        ["SecurityGroups"] = "sg-0a",
        ["PassRoleArns"] = $"arn:aws:iam::{CloudFormationTemplate.Account}:role/pulumi-codebuild,arn:aws:iam::{CloudFormationTemplate.Account}:role/pulumi-codepipeline",
    };

    private static readonly Lazy<JsonObject> RawTemplate = new(() => CloudFormationTemplate.Read(TemplatePath));

    public static JsonObject Raw => RawTemplate.Value;

    public static DeploymentTemplate With(params (string Name, string Value)[] values)
    {
        var all = new Dictionary<string, string>(Required);
        foreach (var (name, value) in values)
        {
            all[name] = value;
        }
        return new DeploymentTemplate(CloudFormationTemplate.Evaluate(Raw, all));
    }

    public JsonObject Resource(string name) => Evaluated["Resources"]![name]?.AsObject() ?? throw new KeyNotFoundException($"no resource {name}");

    public bool Has(string name) => Evaluated["Resources"]![name] is not null;

    public JsonObject Container(string name) =>
        Resource("TaskDefinition")["Properties"]!["ContainerDefinitions"]!.AsArray().Single(c => (string?)c!["Name"] == name)!.AsObject();

    public IReadOnlyDictionary<string, string> Environment(string container) =>
        Container(container)["Environment"]!.AsArray().ToDictionary(e => (string)e!["Name"]!, e => (string)e!["Value"]!);

    public IReadOnlyList<JsonObject> TaskRoleStatements => Statements("TaskRole");

    public IReadOnlyList<JsonObject> Statements(string role) =>
        [.. (Resource(role)["Properties"]!["Policies"]?.AsArray() ?? [])
            .SelectMany(p => p!["PolicyDocument"]!["Statement"]!.AsArray())
            .Select(s => s!.AsObject())];

    public static IReadOnlyList<string> Strings(JsonNode? node) => node switch
    {
        null => [],
        JsonArray array => [.. array.Select(v => (string)v!)],
        _ => [(string)node!],
    };
}
