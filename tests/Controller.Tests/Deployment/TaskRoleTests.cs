using System.Text.Json.Nodes;
using Reconciler.Controller.Cli;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// The task role of charts-or-ecs/reconciler.yaml and charts-or-ecs/task-role-policy.json grant exactly what the code
/// can call from <c>reconciler run</c> (<see cref="ControllerOperations"/>), each on the narrowest resource IAM allows.
/// </summary>
public sealed class TaskRoleTests
{
    /// <summary>Actions IAM checks for what a request carries rather than for an API call: passing a role or a connection.</summary>
    private static readonly IReadOnlySet<string> PermissionOnly = new HashSet<string>(StringComparer.Ordinal)
    {
        "iam:PassRole",
        "codeconnections:PassConnection", "codeconnections:UseConnection",
        "codestar-connections:PassConnection", "codestar-connections:UseConnection",
    };

    /// <summary>Actions whose IAM definition has no resource type, so "*" is the only resource they take.</summary>
    private static readonly IReadOnlySet<string> NoResourceType = new HashSet<string>(StringComparer.Ordinal)
    {
        "codebuild:ListProjects", "codepipeline:ListPipelines", "ssm:DescribeParameters", "dynamodb:ListStreams",
        "xray:PutTraceSegments", "xray:PutTelemetryRecords",
    };

    // Statements for the other processes sharing the task role: the collector sidecar and the Pulumi CLI.
    private static bool IsProgramStatement(JsonObject statement) =>
        (string?)statement["Sid"] is not { } sid || !(sid.StartsWith("Collector", StringComparison.Ordinal) || sid.StartsWith("PulumiState", StringComparison.Ordinal));

    private static IReadOnlySet<string> Actions(IEnumerable<JsonObject> statements) =>
        statements.SelectMany(s => DeploymentTemplate.Strings(s["Action"])).ToHashSet(StringComparer.Ordinal);

    private static string Difference(IReadOnlySet<string> granted, ControllerOperations.Derivation code)
    {
        var missing = code.ActionNames.Except(granted).Select(a => $"{a} (called by {string.Join(", ", code.Actions[a].Distinct())})");
        var extra = granted.Except(code.ActionNames);
        return $"not granted: [{string.Join(", ", missing)}]; granted but never called from `run`: [{string.Join(", ", extra)}]";
    }

    [Fact]
    public async Task The_template_grants_the_program_exactly_the_operations_its_clients_can_call()
    {
        var code = await ControllerOperations.GetAsync();
        var template = DeploymentTemplate.With(("OtlpEndpoint", "https://otlp.example.com:4318"), ("ConnectionArns", "arn:aws:codeconnections:us-east-1:111122223333:connection/abc"));

        var statements = template.TaskRoleStatements;
        Assert.All(statements, s => Assert.True(IsProgramStatement(s), $"{s["Sid"]} should exist only for the collector's AWS export or the Pulumi engine"));
        var granted = Actions(statements).Except(PermissionOnly).ToHashSet();
        Assert.True(granted.SetEquals(code.ActionNames), Difference(granted, code));
    }

    [Fact]
    public async Task The_hand_assembled_policy_grants_exactly_the_same()
    {
        var code = await ControllerOperations.GetAsync();
        var policy = JsonNode.Parse(File.ReadAllText(DeploymentTemplate.PolicyPath))!;
        var statements = policy["Statement"]!.AsArray().Select(s => s!.AsObject()).ToList();

        var granted = Actions(statements).Except(PermissionOnly).ToHashSet();

        Assert.True(granted.SetEquals(code.ActionNames), Difference(granted, code));
        AssertNamedResources(statements, "task-role-policy.json");
    }

    [Fact]
    public async Task The_derivation_sees_the_program_s_clients_whole()
    {
        var code = await ControllerOperations.GetAsync();

        // Every class that speaks AWS JSON is one of AwsClients' clients, so the probe covered it.
        var wireClients = typeof(RunCommand).Assembly.GetTypes()
            .Where(t => t.GetConstructors().Any(c => c.GetParameters().Any(p => p.ParameterType == typeof(Reconciler.Controller.Aws.AwsJsonClient))))
            .Select(t => t.Name).ToHashSet();
        var probed = code.ClientMethods.Keys.Select(k => k.Split('.')[0]).ToHashSet();
        Assert.True(wireClients.SetEquals(probed), $"clients with an AwsJsonClient: [{string.Join(", ", wireClients)}]; probed through AwsClients: [{string.Join(", ", probed)}]");
        // What run needs and what only other commands need are told apart: `store init` creates tables, run never does.
        Assert.Contains("dynamodb:BatchGetItem", code.ActionNames);
        Assert.DoesNotContain("dynamodb:CreateTable", code.ActionNames);
        Assert.DoesNotContain("ssm:GetParameter", code.ActionNames);
    }

    [Fact]
    public async Task Passing_a_role_or_a_connection_is_granted_because_rendered_requests_carry_them()
    {
        using var output = new StringWriter();
        var exit = await CommandLineApp.InvokeAsync(["render", RepositoryPaths.Samples("specs", "website.json"), "-o", "json"],
            new System.CommandLine.InvocationConfiguration { Output = output, Error = output });
        Assert.Equal(0, exit);
        var rendered = output.ToString();

        Assert.Contains("\"arn:aws:iam::", rendered, StringComparison.Ordinal);
        Assert.Contains(":connection/", rendered, StringComparison.Ordinal);
        var template = DeploymentTemplate.With(("ConnectionArns", "arn:aws:codeconnections:us-east-1:111122223333:connection/abc"));
        Assert.True(PermissionOnly.SetEquals(Actions(template.TaskRoleStatements).Intersect(PermissionOnly)));
    }

    [Fact]
    public void Roles_and_connections_are_only_those_given_and_passed_only_to_the_build_services()
    {
        var connection = "arn:aws:codeconnections:us-east-1:111122223333:connection/abc";
        var template = DeploymentTemplate.With(("ConnectionArns", connection));
        var statements = template.TaskRoleStatements;

        var passRole = Assert.Single(statements, s => DeploymentTemplate.Strings(s["Action"]).Contains("iam:PassRole"));
        Assert.Equal(DeploymentTemplate.Required["PassRoleArns"].Split(','), DeploymentTemplate.Strings(passRole["Resource"]));
        Assert.Equal(["codebuild.amazonaws.com", "codepipeline.amazonaws.com"],
            DeploymentTemplate.Strings(passRole["Condition"]!["StringEquals"]!["iam:PassedToService"]));
        var connections = Assert.Single(statements, s => DeploymentTemplate.Strings(s["Action"]).Any(a => a.Contains("Connection", StringComparison.Ordinal)));
        Assert.Equal([connection], DeploymentTemplate.Strings(connections["Resource"]));

        var without = DeploymentTemplate.With().TaskRoleStatements;
        Assert.DoesNotContain(without, s => DeploymentTemplate.Strings(s["Action"]).Any(a => a.Contains("Connection", StringComparison.Ordinal)));
    }

    [Fact]
    public void Builds_and_pipelines_are_scoped_to_the_account_region_and_name_prefix()
    {
        var template = DeploymentTemplate.With(("ResourceNamePrefix", "web-"));
        var resources = template.TaskRoleStatements.SelectMany(s => DeploymentTemplate.Strings(s["Resource"])).ToList();

        Assert.Contains("arn:aws:codebuild:us-east-1:111122223333:project/web-*", resources);
        Assert.Contains("arn:aws:codepipeline:us-east-1:111122223333:web-*", resources);
        Assert.Contains("arn:aws:codebuild:us-east-1:111122223333:project/*", DeploymentTemplate.With().TaskRoleStatements.SelectMany(s => DeploymentTemplate.Strings(s["Resource"])));
        Assert.Throws<ArgumentException>(() => DeploymentTemplate.With(("ResourceNamePrefix", "Web_*")));
    }

    [Theory]
    [InlineData("direct", "")]
    [InlineData("direct", "https://otlp.example.com:4318")]
    [InlineData("pulumi", "")]
    public void No_statement_takes_every_resource_where_one_can_be_named(string engine, string otlp)
    {
        var values = new List<(string, string)> { ("Engine", engine), ("OtlpEndpoint", otlp), ("ConnectionArns", "arn:aws:codeconnections:us-east-1:111122223333:connection/abc") };
        if (engine == "pulumi")
        {
            values.Add(("PulumiStateBucket", "acme-pulumi-state"));
        }
        var template = DeploymentTemplate.With([.. values]);

        AssertNamedResources(template.TaskRoleStatements, "TaskRole");
        AssertNamedResources(template.Statements("ExecutionRole"), "ExecutionRole");
    }

    [Fact]
    public void The_sidecar_s_and_the_pulumi_cli_s_statements_exist_only_when_they_are_used()
    {
        var aws = DeploymentTemplate.With().TaskRoleStatements.Where(s => !IsProgramStatement(s)).ToList();
        Assert.Equal(["xray:PutTelemetryRecords", "xray:PutTraceSegments", "logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"],
            aws.SelectMany(s => DeploymentTemplate.Strings(s["Action"])));
        Assert.All(aws.Where(s => DeploymentTemplate.Strings(s["Action"]).Any(a => a.StartsWith("logs:", StringComparison.Ordinal))).SelectMany(s => DeploymentTemplate.Strings(s["Resource"])),
            r => Assert.StartsWith("arn:aws:logs:us-east-1:111122223333:log-group:/ecs/reconciler/metrics", r, StringComparison.Ordinal));

        var bucket = DeploymentTemplate.With(("Engine", "pulumi"), ("PulumiStateBucket", "acme-pulumi-state"), ("OtlpEndpoint", "https://otlp.example.com:4318"));
        var pulumi = bucket.TaskRoleStatements.Where(s => !IsProgramStatement(s)).ToList();
        Assert.Equal(["arn:aws:s3:::acme-pulumi-state", "arn:aws:s3:::acme-pulumi-state/*"], pulumi.SelectMany(s => DeploymentTemplate.Strings(s["Resource"])));
        Assert.Equal("s3://acme-pulumi-state", bucket.Environment("reconciler")["PULUMI_BACKEND_URL"]);
        Assert.Equal("pulumi", bucket.Environment("reconciler")[RunCommand.EngineVariable]);
    }

    [Fact]
    public void The_pulumi_cloud_token_is_an_ecs_secret_only_the_execution_role_reads()
    {
        var template = DeploymentTemplate.With(("Engine", "pulumi"), ("PulumiAccessTokenParameter", "/reconciler/pulumi-access-token"));
        var parameterArn = "arn:aws:ssm:us-east-1:111122223333:parameter/reconciler/pulumi-access-token";

        var secret = Assert.Single(template.Container("reconciler")["Secrets"]!.AsArray())!;
        Assert.Equal("PULUMI_ACCESS_TOKEN", (string?)secret["Name"]);
        Assert.Equal(parameterArn, (string?)secret["ValueFrom"]);
        Assert.DoesNotContain("PULUMI_ACCESS_TOKEN", template.Environment("reconciler").Keys);
        var read = Assert.Single(template.Statements("ExecutionRole"));
        Assert.Equal(["ssm:GetParameters"], DeploymentTemplate.Strings(read["Action"]));
        Assert.Equal([parameterArn], DeploymentTemplate.Strings(read["Resource"]));
        Assert.DoesNotContain(template.TaskRoleStatements, s => DeploymentTemplate.Strings(s["Action"]).Any(a => a.StartsWith("ssm:Get", StringComparison.Ordinal)));

        var direct = DeploymentTemplate.With();
        Assert.Empty(direct.Container("reconciler")["Secrets"]!.AsArray());
        Assert.Empty(direct.Statements("ExecutionRole"));
    }

    private static void AssertNamedResources(IEnumerable<JsonObject> statements, string where)
    {
        foreach (var statement in statements)
        {
            var resources = DeploymentTemplate.Strings(statement["Resource"]);
            Assert.NotEmpty(resources);
            if (resources.Contains("*"))
            {
                var unscoped = DeploymentTemplate.Strings(statement["Action"]).Where(a => !NoResourceType.Contains(a)).ToList();
                Assert.True(unscoped.Count == 0, $"{where} {statement["Sid"]}: {string.Join(", ", unscoped)} can be limited to named resources, not *");
            }
        }
    }
}
