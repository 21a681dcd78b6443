using System.Diagnostics;
using Reconciler.Controller.Aws;
using Reconciler.Controller.Runtime;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Tests.Aws;

namespace Reconciler.Controller.Tests.Observability;

public class TelemetryWiringTests
{
    private static readonly HttpClient Http = new();

    [Fact]
    public void The_service_is_named_reconciler_unless_the_environment_names_it()
    {
        var plain = TelemetryResource.Attributes(_ => null);
        Assert.Equal("reconciler", plain["service.name"]);
        Assert.Equal(Controller.Cli.VersionInfoCommand.Version, plain["service.version"]);

        var fromAttributes = TelemetryResource.Attributes(Env(("OTEL_RESOURCE_ATTRIBUTES", "service.name=ops,deployment.environment=staging")));
        Assert.Equal("ops", fromAttributes["service.name"]);
        Assert.Equal("staging", fromAttributes["deployment.environment"]);

        var named = TelemetryResource.Attributes(Env(("OTEL_SERVICE_NAME", "reconciler-eu"), ("OTEL_RESOURCE_ATTRIBUTES", "service.name=ops")));
        Assert.Equal("reconciler-eu", named["service.name"]);
    }

    [Fact]
    public void Resource_attributes_are_percent_decoded_and_malformed_pairs_skipped()
    {
        var parsed = TelemetryResource.ParseAttributes("team=web%20platform, broken ,=nokey,k8s.pod=a%2Cb").ToDictionary();
        Assert.Equal(new Dictionary<string, string> { ["team"] = "web platform", ["k8s.pod"] = "a,b" }, parsed);
    }

    [Fact]
    public async Task On_ECS_the_task_and_container_attributes_come_from_the_metadata_endpoint()
    {
        const string task = "arn:aws:ecs:eu-west-1:111122223333:task/ops/0123456789abcdef";
        await using var metadata = await AwsStubServer.StartAsync(new Dictionary<string, string>
        {
            ["/v4/abc"] = """{"DockerId":"d0c4e7","Name":"reconciler","ContainerARN":"arn:aws:ecs:eu-west-1:111122223333:container/ops/x","Image":"reconciler:1"}""",
            ["/v4/abc/task"] = $$"""{"Cluster":"arn:aws:ecs:eu-west-1:111122223333:cluster/ops","TaskARN":"{{task}}","Family":"reconciler","Revision":"7","LaunchType":"FARGATE","AvailabilityZone":"eu-west-1a"}""",
        });
        var env = Env((ReplicaIdentity.MetadataVariable, new Uri(metadata.Url, "/v4/abc").ToString()), ("OTEL_RESOURCE_ATTRIBUTES", "aws.ecs.task.family=override"));

        using var providers = await TelemetryProviders.StartAsync(env, Http);

        var attributes = providers.Attributes;
        Assert.Equal("aws_ecs", attributes["cloud.platform"]);
        Assert.Equal(task, attributes["aws.ecs.task.arn"]);
        Assert.Equal("7", attributes["aws.ecs.task.revision"]);
        Assert.Equal("FARGATE", attributes["aws.ecs.launchtype"]);
        Assert.Equal("eu-west-1", attributes["cloud.region"]);
        Assert.Equal("111122223333", attributes["cloud.account.id"]);
        Assert.Equal("d0c4e7", attributes["container.id"]);
        Assert.Equal(task, attributes["service.instance.id"]);
        // The operator's own attributes win over what the endpoint says.
        Assert.Equal("override", attributes["aws.ecs.task.family"]);
        Assert.False(providers.ExportsTraces, "no OTLP variable, no exporter");
    }

    [Fact]
    public async Task A_metadata_endpoint_that_does_not_answer_leaves_the_ECS_attributes_out()
    {
        await using var metadata = await AwsStubServer.StartAsync(new Dictionary<string, string>());
        using var providers = await TelemetryProviders.StartAsync(Env((ReplicaIdentity.MetadataVariable, metadata.Url + "missing")), Http);
        Assert.False(providers.Attributes.ContainsKey("cloud.platform"));
        Assert.Equal("reconciler", providers.Attributes["service.name"]);
    }

    [Fact]
    public void The_standard_OTLP_variables_switch_each_signal_on()
    {
        using (var all = TelemetryProviders.Start(TelemetryResource.Attributes(_ => null), Env((TelemetryProviders.EndpointVariable, "http://127.0.0.1:9"))))
        {
            Assert.True(all.ExportsTraces && all.ExportsMetrics && all.ExportsLogs);
            foreach (var source in new[] { RuntimeTracing.Source, AwsTelemetry.ActivitySource, CliTracing.Source })
            {
                using var span = source.StartActivity("probe");
                Assert.True(span is { Recorded: true }, $"{source.Name} is not recorded");
            }
        }
        using var tracesOnly = TelemetryProviders.Start(TelemetryResource.Attributes(_ => null), Env(("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT", "http://127.0.0.1:9/v1/traces")));
        Assert.True(tracesOnly.ExportsTraces);
        Assert.False(tracesOnly.ExportsMetrics);
        Assert.False(tracesOnly.ExportsLogs);
        using var scraped = TelemetryProviders.Start(TelemetryResource.Attributes(_ => null), Env((TelemetryProviders.EndpointVariable, "http://127.0.0.1:9"), ("OTEL_METRICS_EXPORTER", "none")));
        Assert.True(scraped.ExportsTraces && scraped.ExportsLogs);
        Assert.False(scraped.ExportsMetrics);
        using var none = TelemetryProviders.Start(TelemetryResource.Attributes(_ => null), _ => null);
        Assert.False(none.ExportsTraces || none.ExportsMetrics || none.ExportsLogs);
    }

    private static Func<string, string?> Env(params (string Key, string Value)[] pairs)
    {
        var map = pairs.ToDictionary(p => p.Key, p => p.Value);
        return key => map.GetValueOrDefault(key);
    }
}
