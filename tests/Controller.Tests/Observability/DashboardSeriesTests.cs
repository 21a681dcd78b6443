using System.Text.Json.Nodes;
using Reconciler.Controller.Sync;
using Reconciler.Controller.Tests.Sync;
using Reconciler.LocalCloud.Faults;
using Reconciler.Tests.Shared;
using YamlDotNet.RepresentationModel;

namespace Reconciler.Controller.Tests.Observability;

/// <summary>Every series the Grafana dashboard and the alert rules query exists on <c>/metrics</c> after a demo-like run.</summary>
public class DashboardSeriesTests
{
    // A panel that says so in its title watches a feature not built yet; its series must then be absent, not invented.
    private const string NotBuilt = "(not built yet)";

    [Fact]
    public void The_PromQL_reader_finds_metric_names_and_nothing_else()
    {
        Assert.Equal(["a_bucket"], PromQlSeries.Names("histogram_quantile(0.9, sum by (le, service) (rate(a_bucket{x=\"y(z)\", q=~\"b|c\"}[5m] offset 1h)))"));
        Assert.Equal(["x", "y"], PromQlSeries.Names("max(x) > 0 and on (job) sum(increase(y[30m])) == 0 or absent(x)").Order());
    }

    [Fact]
    public async Task Every_series_the_dashboard_and_the_alerts_query_is_scraped_after_a_demo_like_run()
    {
        // Throttling on every operation, so the retry and throttle series have something to count.
        await using var run = await ObservedRun.StartAsync(FaultSettings.Everywhere(throttleRatio: 0.15, seed: 7));
        // One sync of a config repository, so the sync panel's series has something to count.
        await using (var sync = await SyncHarness.StartAsync())
        {
            sync.Repo.Write("specs/alpha.json", SyncDocuments.Json("alpha"));
            sync.Repo.Commit("first");
            Assert.Equal(SyncOutcome.Applied, (await sync.Syncer().SyncAsync(dryRun: false, CancellationToken.None)).Outcome);
        }
        using var http = new HttpClient { BaseAddress = run.Host.Web!.Address };
        var scraped = (await http.GetStringAsync(new Uri("metrics", UriKind.Relative)))
            .Split('\n')
            .Where(l => l.Length > 0 && !l.StartsWith('#'))
            .Select(l => l[..l.IndexOfAny(['{', ' '])])
            .ToHashSet(StringComparer.Ordinal);

        var queries = DashboardQueries().Concat(AlertQueries()).ToList();
        Assert.True(queries.Count >= 20, $"only {queries.Count} queries read");
        var missing = new List<string>();
        var invented = new List<string>();
        foreach (var (where, expression) in queries)
        {
            foreach (var series in PromQlSeries.Names(expression))
            {
                if (where.Contains(NotBuilt, StringComparison.Ordinal))
                {
                    if (scraped.Contains(series))
                    {
                        invented.Add($"{where}: {series} exists: drop '{NotBuilt}' from the title");
                    }
                }
                else if (!scraped.Contains(series))
                {
                    missing.Add($"{where}: {series}");
                }
            }
        }
        Assert.True(missing.Count == 0, "not on /metrics:\n" + string.Join('\n', missing) + "\n\nscraped:\n" + string.Join('\n', scraped.Order()));
        Assert.Empty(invented);
    }

    private static IEnumerable<(string Where, string Expression)> DashboardQueries()
    {
        var dashboard = JsonNode.Parse(File.ReadAllText(RepositoryPaths.Combine("samples", "observability", "grafana-dashboard.json")))!;
        foreach (var panel in dashboard["panels"]!.AsArray())
        {
            foreach (var target in panel!["targets"]!.AsArray())
            {
                yield return ($"panel '{panel["title"]}'", (string)target!["expr"]!);
            }
        }
    }

    private static IEnumerable<(string Where, string Expression)> AlertQueries()
    {
        var yaml = new YamlStream();
        using var reader = new StreamReader(RepositoryPaths.Combine("samples", "observability", "alerts.yaml"));
        yaml.Load(reader);
        var root = (YamlMappingNode)yaml.Documents[0].RootNode;
        foreach (var group in (YamlSequenceNode)root["groups"])
        {
            foreach (var rule in (YamlSequenceNode)((YamlMappingNode)group)["rules"])
            {
                var map = (YamlMappingNode)rule;
                yield return ($"alert {map["alert"]}", ((YamlScalarNode)map["expr"]).Value!);
            }
        }
    }
}
