using System.Text.RegularExpressions;
using System.Xml.Linq;
using Reconciler.Controller.Cli;
using Reconciler.Controller.Web;
using Reconciler.Tests.Shared;

namespace Reconciler.Controller.Tests.Deployment;

/// <summary>
/// The Dockerfile keeps its promises, read instruction by instruction (no Docker daemon where the tests run): stages,
/// non-root user, stop signal, health check on the program's default port, pinned Pulumi tools behind a build argument.
/// </summary>
public sealed partial class DockerfileTests
{
    private sealed record Instruction(string Keyword, string Arguments);

    private static readonly IReadOnlyList<Instruction> Instructions = Read(RepositoryPaths.Combine("Dockerfile"));

    // Continuation lines joined, comments dropped, one instruction per entry.
    private static List<Instruction> Read(string path)
    {
        var logical = Regex.Replace(File.ReadAllText(path), @"\\\r?\n(\s*#[^\n]*\n)*", " ");
        return [.. logical.Split('\n')
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l.Split(' ', 2) is [var keyword, var rest] ? new Instruction(keyword.ToUpperInvariant(), rest.Trim()) : new Instruction(l.ToUpperInvariant(), ""))];
    }

    // The instructions of the stage the image ends in, and of the stages it is built FROM.
    private static List<Instruction> FinalStageChain(string withPulumi)
    {
        var stages = new List<(string? Name, string From, List<Instruction> Body)>();
        foreach (var instruction in Instructions)
        {
            if (instruction.Keyword == "FROM")
            {
                var parts = instruction.Arguments.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                stages.Add((parts.Length == 3 ? parts[2] : null, parts[0], []));
            }
            else if (stages.Count > 0)
            {
                stages[^1].Body.Add(instruction);
            }
        }
        var chain = new List<Instruction>();
        var stage = stages[^1];
        while (true)
        {
            chain.InsertRange(0, stage.Body);
            var from = stage.From.Replace("${WITH_PULUMI}", withPulumi, StringComparison.Ordinal);
            var parent = stages.FindIndex(s => s.Name == from);
            if (parent < 0)
            {
                return chain;
            }
            stage = stages[parent];
        }
    }

    [Fact]
    public void It_builds_in_one_stage_and_runs_as_a_non_root_user_from_another()
    {
        var froms = Instructions.Where(i => i.Keyword == "FROM").Select(i => i.Arguments).ToList();
        Assert.Contains(froms, f => f.StartsWith("mcr.microsoft.com/dotnet/sdk:", StringComparison.Ordinal) && f.EndsWith(" AS build", StringComparison.Ordinal));
        Assert.All(froms, f => Assert.DoesNotContain(":latest", f, StringComparison.Ordinal));
        Assert.Contains(Instructions, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=build ", StringComparison.Ordinal));

        foreach (var variant in new[] { "true", "false" })
        {
            var chain = FinalStageChain(variant);
            var user = chain.Last(i => i.Keyword == "USER").Arguments.Split(':')[0];
            Assert.True(int.TryParse(user, out var uid) && uid > 0, $"USER {user} is not a numeric non-root id");
            Assert.Equal("SIGTERM", chain.Last(i => i.Keyword == "STOPSIGNAL").Arguments);
            Assert.Equal($"[\"dotnet\", \"{typeof(RunCommand).Assembly.GetName().Name}.dll\"]", chain.Last(i => i.Keyword == "ENTRYPOINT").Arguments);
            Assert.Equal("[\"run\"]", chain.Last(i => i.Keyword == "CMD").Arguments);
        }
    }

    [Fact]
    public void The_health_check_calls_healthz_on_the_program_s_default_port_with_a_tool_the_image_installs()
    {
        var check = FinalStageChain("false").Last(i => i.Keyword == "HEALTHCHECK").Arguments;
        var url = new Uri(UrlPattern().Match(check).Value);
        var defaults = new WebServerOptions();

        Assert.Equal(defaults.Port, url.Port);
        Assert.Equal(defaults.BindAddress, url.Host);
        Assert.Equal("/healthz", url.AbsolutePath);
        Assert.Contains("CMD [\"curl\"", check, StringComparison.Ordinal);
        Assert.Contains(FinalStageChain("false"), i => i.Keyword == "RUN" && i.Arguments.Contains("install", StringComparison.Ordinal) && i.Arguments.Contains(" curl ", StringComparison.Ordinal));
        // The task definition checks health the same way.
        Assert.Equal(["CMD", "curl", "-fsS", url.ToString()], DeploymentTemplate.Strings(DeploymentTemplate.With().Container("reconciler")["HealthCheck"]!["Command"]));
    }

    [Fact]
    public void The_pulumi_cli_and_plugins_are_pinned_and_left_out_when_the_build_argument_says_so()
    {
        Assert.Equal("WITH_PULUMI=true", Instructions[0] is { Keyword: "ARG" } first ? first.Arguments : null);
        var pins = Instructions.Where(i => i.Keyword == "ARG" && i.Arguments.StartsWith("PULUMI", StringComparison.Ordinal))
            .Select(i => i.Arguments.Split('=', 2)).ToDictionary(p => p[0], p => p.ElementAtOrDefault(1) ?? "");
        Assert.Equal(["PULUMI_VERSION", "PULUMI_YAML_VERSION", "PULUMI_AWS_VERSION"], pins.Keys);
        Assert.All(pins.Values, v => Assert.Matches(@"^\d+\.\d+\.\d+$", v));
        // The CLI at the version whose flags pulumi-cli/ records, the provider at the version the program schema was read from.
        var flags = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("pulumi-cli", "flags.json")))!;
        Assert.Equal((string?)flags["_meta"]!["tag"], "v" + pins["PULUMI_VERSION"]);
        var schema = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("schemas", "pulumi-aws", "schema.json")))!;
        Assert.StartsWith($"@pulumi/aws {pins["PULUMI_AWS_VERSION"]} ", (string?)schema["source"], StringComparison.Ordinal);
        var install = Assert.Single(Instructions, i => i.Keyword == "RUN" && i.Arguments.Contains("get.pulumi.com", StringComparison.Ordinal)).Arguments;
        Assert.Contains("pulumi-v${PULUMI_VERSION}-linux-x64.tar.gz", install, StringComparison.Ordinal);
        Assert.Contains("cp /tmp/pulumi/pulumi/pulumi /opt/pulumi/bin/", install, StringComparison.Ordinal);
        foreach (var plugin in new[] { "pulumi-language-yaml-v${PULUMI_YAML_VERSION}", "pulumi-resource-aws-v${PULUMI_AWS_VERSION}" })
        {
            Assert.Contains($"{plugin}-linux-amd64.tar.gz", install, StringComparison.Ordinal);
            Assert.Contains($"-C /opt/pulumi/bin {plugin[..plugin.IndexOf("-v$", StringComparison.Ordinal)]}", install, StringComparison.Ordinal);
        }

        var withPulumi = FinalStageChain("true");
        Assert.Contains(withPulumi, i => i.Keyword == "COPY" && i.Arguments.StartsWith("--from=pulumi ", StringComparison.Ordinal));
        Assert.Contains(withPulumi, i => i.Keyword == "ENV" && i.Arguments.Contains("PATH=/opt/pulumi/bin:", StringComparison.Ordinal));
        Assert.DoesNotContain(FinalStageChain("false"), i => i.Arguments.Contains("pulumi/bin", StringComparison.Ordinal));
    }

    [Fact]
    public void The_build_stage_copies_every_file_the_controller_s_projects_read_and_dockerignore_keeps_the_rest_out()
    {
        var copied = Instructions.Where(i => i.Keyword == "COPY" && !i.Arguments.StartsWith("--from", StringComparison.Ordinal))
            .SelectMany(i => i.Arguments.Split(' ')[..^1]).ToList();
        var needed = new List<string> { "global.json", "Directory.Build.props", "Directory.Packages.props" };
        var projects = new Queue<string>([RepositoryPaths.Combine("src", "Controller", "Controller.csproj")]);
        while (projects.TryDequeue(out var project))
        {
            var directory = Path.GetDirectoryName(project)!;
            needed.Add(Path.GetRelativePath(RepositoryPaths.Root, project));
            foreach (var item in XDocument.Load(project).Descendants().Where(e => e.Name.LocalName is "ProjectReference" or "EmbeddedResource"))
            {
                var include = Path.GetFullPath(Path.Combine(directory, item.Attribute("Include")!.Value));
                if (item.Name.LocalName == "ProjectReference")
                {
                    projects.Enqueue(include);
                }
                else
                {
                    needed.Add(Path.GetRelativePath(RepositoryPaths.Root, include));
                }
            }
        }
        foreach (var path in needed.Select(p => p.Replace('\\', '/')))
        {
            Assert.True(copied.Any(c => path == c || path.StartsWith(c.TrimEnd('/') + "/", StringComparison.Ordinal) || (c == "src/" && path.StartsWith("src/", StringComparison.Ordinal))),
                $"the build stage does not copy {path}");
        }

        var ignored = File.ReadAllLines(RepositoryPaths.Combine(".dockerignore")).Where(l => l.Length > 0 && !l.StartsWith('#')).ToHashSet();
        Assert.Superset(new HashSet<string> { ".git", "**/bin", "**/obj", "tests", "**/node_modules" }, ignored);
        Assert.DoesNotContain(ignored, i => needed.Any(n => n.StartsWith(i.TrimEnd('/') + "/", StringComparison.Ordinal) || n == i));
    }

    [GeneratedRegex(@"https?://[^""\s]+")]
    private static partial Regex UrlPattern();
}
