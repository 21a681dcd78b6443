using System.Globalization;
using System.Net;
using System.Reflection;
using System.Text.Json.Nodes;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Reconciliation;
using Reconciler.Controller.Telemetry;
using Reconciler.Controller.Web;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>The task definition and service of charts-or-ecs/reconciler.yaml agree with the program's defaults.</summary>
public sealed class TaskDefinitionTests
{
    private static readonly DeploymentTemplate Template = DeploymentTemplate.With();

    private const int DefaultHealthPort = WebServerOptions.DefaultPort;

    private const string DefaultHealthBind = WebServerOptions.DefaultBindAddress;

    [Fact]
    public async Task The_health_check_calls_a_path_the_health_server_answers_on_its_default_port_and_loopback()
    {
        var container = Template.Container("reconciler");
        var command = DeploymentTemplate.Strings(container["HealthCheck"]!["Command"]);
        var url = new Uri(command[^1]);

        Assert.Equal("CMD", command[0]);
        Assert.Equal(DefaultHealthPort, url.Port);
        Assert.Equal(DefaultHealthBind, url.Host);
        // The defaults apply: nothing moves the port or binds every interface, and no port is published.
        Assert.DoesNotContain(RunCommand.HealthPortVariable, Template.Environment("reconciler").Keys);
        Assert.DoesNotContain(RunCommand.HealthBindVariable, Template.Environment("reconciler").Keys);
        Assert.Null(container["PortMappings"]);

        // The server `run` starts, with its health and metrics routes: the health check's path and the collector's scrape path answer.
        await using var server = await WebServer.StartAsync(new WebServerOptions(Port: 0), [new HealthRoutes([]), new MetricsRoutes()]);
        using var http = new HttpClient();
        foreach (var path in new[] { url.AbsolutePath, "/metrics" })
        {
            using var response = await http.GetAsync(new Uri(server.Address, path));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }
    }

    [Fact]
    public void The_stop_timeout_is_above_the_drain_and_within_what_fargate_allows()
    {
        var stopTimeout = int.Parse((string)Template.Container("reconciler")["StopTimeout"]!, CultureInfo.InvariantCulture);
        var drain = new PipelineControllerOptions().ShutdownTimeout;

        // Leases are released after the drain; ten seconds leave room for it and for the process to exit.
        Assert.InRange(stopTimeout, (int)drain.TotalSeconds + 10, 120);
    }

    [Fact]
    public void Every_container_runs_as_a_non_root_user_on_a_read_only_root_file_system_with_one_writable_scratch_volume()
    {
        foreach (var name in new[] { "reconciler", "otel-collector" })
        {
            var container = Template.Container(name);
            Assert.Equal("true", (string?)container["ReadonlyRootFilesystem"]);
            var user = ((string)container["User"]!).Split(':')[0];
            Assert.NotEqual("0", user);
            Assert.NotEqual("root", user);
        }
        var mount = Assert.Single(Template.Container("reconciler")["MountPoints"]!.AsArray())!;
        Assert.Equal("/tmp", (string?)mount["ContainerPath"]);
        Assert.Equal("false", (string?)mount["ReadOnly"]);
        // The Pulumi CLI's home and HOME itself are on the writable volume.
        Assert.StartsWith("/tmp", Template.Environment("reconciler")["PULUMI_HOME"], StringComparison.Ordinal);
        Assert.StartsWith("/tmp", Template.Environment("reconciler")["HOME"], StringComparison.Ordinal);
    }

    [Fact]
    public void The_environment_names_only_settings_the_program_reads()
    {
        var known = typeof(RunCommand).GetFields(BindingFlags.Public | BindingFlags.Static)
            .Where(f => f.IsLiteral && f.Name.EndsWith("Variable", StringComparison.Ordinal))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Append(StoreOptions.StoreVariable)
            .ToHashSet();
        var environment = Template.Environment("reconciler");

        Assert.All(environment.Keys.Where(k => k.StartsWith("RECONCILER_", StringComparison.Ordinal)), k => Assert.Contains(k, known));
        Assert.Equal("dynamodb:reconciler-specs", environment[StoreOptions.StoreVariable]);
        Assert.Equal("direct", environment[RunCommand.EngineVariable]);
        Assert.Equal("us-east-1", environment["AWS_REGION"]);
    }

    [Fact]
    public void The_controllers_heap_is_capped_below_the_task_memory_left_beside_the_collector()
    {
        var environment = Template.Environment("reconciler");

        // The runtime reads the percent as hex; a decimal "65" would be 101%.
        var percent = Convert.ToInt32(environment["DOTNET_GCHeapHardLimitPercent"], 16);
        Assert.InRange(percent, 50, 75);
        Assert.DoesNotContain("DOTNET_gcServer", environment.Keys);
    }

    [Theory]
    [InlineData("111122223333.dkr.ecr.us-east-1.amazonaws.com/reconciler:latest", false)]
    [InlineData("111122223333.dkr.ecr.us-east-1.amazonaws.com/reconciler", false)]
    [InlineData("111122223333.dkr.ecr.us-east-1.amazonaws.com/reconciler:1.4.2", true)]
    [InlineData("ghcr.io/acme/reconciler@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef", true)]
    public void The_image_is_pinned_by_digest_or_tag_never_latest(string image, bool accepted)
    {
        if (accepted)
        {
            Assert.Equal(image, (string?)DeploymentTemplate.With(("ImageUri", image)).Container("reconciler")["Image"]);
        }
        else
        {
            Assert.Throws<ArgumentException>(() => DeploymentTemplate.With(("ImageUri", image)));
        }
    }

    [Theory]
    [InlineData("", "awsxray", "awsemf")]
    [InlineData("https://otlp.example.com:4318", "otlphttp", "otlphttp")]
    public void The_collector_config_parses_receives_what_the_program_sends_and_exports_to_the_destination(string destination, string tracesExporter, string metricsExporter)
    {
        var template = DeploymentTemplate.With(("OtlpEndpoint", destination));
        var yaml = new YamlStream();
        yaml.Load(new StringReader(template.Environment("otel-collector")["AOT_CONFIG_CONTENT"]));
        var config = (YamlMappingNode)yaml.Documents.Single().RootNode;
        string Scalar(params string[] path) => ((YamlScalarNode)path.Aggregate((YamlNode)config, (node, key) => ((YamlMappingNode)node)[key])).Value!;

        // Spans: the program's OTLP exporter points at the collector's gRPC receiver on the shared loopback.
        var programEndpoint = new Uri(template.Environment("reconciler")[TelemetryProviders.EndpointVariable]);
        Assert.Equal($"{programEndpoint.Host}:{programEndpoint.Port}", Scalar("receivers", "otlp", "protocols", "grpc", "endpoint"));
        // Metrics: the collector scrapes /metrics where the health server serves it.
        var scrape = (YamlMappingNode)((YamlSequenceNode)((YamlMappingNode)((YamlMappingNode)config["receivers"])["prometheus"])["config"]["scrape_configs"]).Single();
        Assert.Equal("/metrics", ((YamlScalarNode)scrape["metrics_path"]).Value);
        Assert.Equal($"{DefaultHealthBind}:{DefaultHealthPort}", ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)((YamlSequenceNode)scrape["static_configs"]).Single())["targets"]).Single()).Value);

        var pipelines = (YamlMappingNode)((YamlMappingNode)config["service"])["pipelines"];
        foreach (var (kind, section) in new[] { ("receivers", "receivers"), ("processors", "processors"), ("exporters", "exporters") })
        {
            var defined = ((YamlMappingNode)config[section]).Children.Keys.Select(k => ((YamlScalarNode)k).Value).ToHashSet();
            foreach (var pipeline in pipelines.Children.Values.Cast<YamlMappingNode>())
            {
                Assert.All(((YamlSequenceNode)pipeline[kind]).Children, c => Assert.Contains(((YamlScalarNode)c).Value, defined));
            }
        }
        Assert.Equal(tracesExporter, ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)pipelines["traces"])["exporters"]).Single()).Value);
        Assert.Equal(metricsExporter, ((YamlScalarNode)((YamlSequenceNode)((YamlMappingNode)pipelines["metrics"])["exporters"]).Single()).Value);
        if (destination.Length > 0)
        {
            Assert.Equal(destination, Scalar("exporters", "otlphttp", "endpoint"));
        }
        else
        {
            Assert.Equal("/ecs/reconciler/metrics", Scalar("exporters", "awsemf", "log_group_name"));
            Assert.True(template.Has("MetricsLogGroup"));
        }
    }

    [Fact]
    public void The_service_runs_the_given_replicas_in_the_given_subnets_and_rolls_without_losing_capacity()
    {
        var template = DeploymentTemplate.With(("DesiredCount", "3"), ("Shards", "32"));
        var service = template.Resource("Service")["Properties"]!;

        Assert.Equal("3", (string?)service["DesiredCount"]);
        Assert.Equal("FARGATE", (string?)service["LaunchType"]);
        Assert.Equal(["subnet-0a", "subnet-0b"], DeploymentTemplate.Strings(service["NetworkConfiguration"]!["AwsvpcConfiguration"]!["Subnets"]));
        Assert.Equal("100", (string?)service["DeploymentConfiguration"]!["MinimumHealthyPercent"]);
        Assert.Equal("32", template.Environment("reconciler")[RunCommand.ShardsVariable]);
    }

    [Fact]
    public void The_tables_outlive_the_stack_and_the_outputs_name_them_and_the_service()
    {
        foreach (var table in new[] { "SpecTable", "LeaseTable", "SyncTable" })
        {
            Assert.Equal("Retain", (string?)Template.Resource(table)["DeletionPolicy"]);
            Assert.Equal("Retain", (string?)Template.Resource(table)["UpdateReplacePolicy"]);
        }
        var outputs = Template.Evaluated["Outputs"]!.AsObject();
        Assert.Equal("reconciler-specs", (string?)outputs["SpecTableName"]!["Value"]);
        Assert.Equal("reconciler-specs-leases", (string?)outputs["LeaseTableName"]!["Value"]);
        Assert.Equal("reconciler-specs-sync", (string?)outputs["SyncTableName"]!["Value"]);
        Assert.Equal("Service", (string?)outputs["ServiceName"]!["Value"]);
        Assert.IsType<JsonObject>(Template.Resource("Service"));
    }
}
