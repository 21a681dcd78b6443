using System.Net;
using System.Text.Json.Nodes;

namespace Reconciler.Controller.Tests.Observability;

public class StatusApiTests
{
    [Fact]
    public async Task The_API_lists_filters_and_pages_the_cached_specs_and_shows_one_spec_with_resources_history_and_trace_link()
    {
        await using var run = await ObservedRun.StartAsync();
        using var http = new HttpClient { BaseAddress = run.Page.Address };

        var all = await GetAsync(http, "api/v1/specs");
        Assert.Equal(3, (int)all["total"]!);
        var items = all["items"]!.AsArray();
        Assert.Equal(run.Names.Order(StringComparer.Ordinal), items.Select(i => (string)i!["name"]!));
        Assert.All(items, i => Assert.Equal((string)i!["name"]! == ObservedRun.DriftedSpec ? "Drifted" : "Ready", (string)i["phase"]!));
        Assert.Equal(2, (int)all["phases"]!["Ready"]!);
        Assert.Equal([ObservedRun.DriftedSpec], items.Where(i => (bool)i!["drifted"]!).Select(i => (string)i!["name"]!));
        Assert.Equal(1, (int)all["driftedCount"]!);

        Assert.Equal([ObservedRun.DriftedSpec], Names(await GetAsync(http, "api/v1/specs?label=team%3Dops")));
        Assert.Equal([ObservedRun.DriftedSpec], Names(await GetAsync(http, "api/v1/specs?drifted=true")));
        Assert.Equal([ObservedRun.DriftedSpec], Names(await GetAsync(http, "api/v1/specs?phase=Drifted")));
        Assert.Empty(Names(await GetAsync(http, "api/v1/specs?phase=Stalled")));
        var second = await GetAsync(http, "api/v1/specs?offset=1&limit=1");
        Assert.Equal([run.Names.Order(StringComparer.Ordinal).ElementAt(1)], Names(second));
        Assert.Equal(3, (int)second["matched"]!);

        var bad = await http.GetAsync(new Uri("api/v1/specs?label=team%3D%3D%3D", UriKind.Relative));
        Assert.Equal(HttpStatusCode.BadRequest, bad.StatusCode);
        Assert.StartsWith("label: ", (string)JsonNode.Parse(await bad.Content.ReadAsStringAsync())!["error"]!, StringComparison.Ordinal);

        var spec = await GetAsync(http, $"api/v1/specs/{ObservedRun.DriftedSpec}");
        var resources = spec["resources"]!.AsArray();
        Assert.Contains(resources, r => (string)r!["kind"]! == "CodeBuildProject" && ((string?)r["arn"])?.StartsWith("arn:aws:codebuild:", StringComparison.Ordinal) == true);
        Assert.Contains(spec["conditions"]!.AsArray(), c => (string)c!["type"]! == "Drifted" && (string)c["status"]! == "True");
        var history = spec["history"]!.AsArray();
        Assert.Contains(history, c => (string)c!["type"]! == "Ready" && (string)c["status"]! == "True");
        Assert.Contains(history, c => (string)c!["type"]! == "Drifted" && (string)c["status"]! == "True");
        Assert.Equal("0af7651916cd43dd8448eb211c80319c", (string)spec["traceId"]!);
        Assert.Equal("http://tempo.example/trace/0af7651916cd43dd8448eb211c80319c", (string)spec["traceUrl"]!);
        Assert.Equal("Detect", (string)spec["driftPolicy"]!);

        Assert.Equal(HttpStatusCode.NotFound, (await http.GetAsync(new Uri("api/v1/specs/nope", UriKind.Relative))).StatusCode);

        var controller = await GetAsync(http, "api/v1/controller");
        Assert.Equal("direct", (string)controller["engine"]!);
        Assert.Equal(3, (int)controller["specs"]!);
        Assert.Equal(4, (int)controller["workers"]!);
        Assert.Equal(4, controller["shardsHeld"]!.AsArray().Count);
        Assert.Equal("observed-replica", (string)controller["replica"]!);
        Assert.Equal("Closed", (string)controller["breakers"]!["CodeBuild"]!);

        // Each change of a condition is recorded once, however many status writes and resyncs repeat it.
        foreach (var type in run.Page.History.For("website").GroupBy(c => c.Type))
        {
            var changes = type.ToList();
            Assert.All(changes.Zip(changes.Skip(1)), pair => Assert.False(
                pair.First.Status == pair.Second.Status && pair.First.Reason == pair.Second.Reason && pair.First.Message == pair.Second.Message,
                $"{type.Key} recorded twice unchanged: {pair.Second}"));
        }
    }

    private static async Task<JsonNode> GetAsync(HttpClient http, string path) =>
        JsonNode.Parse(await http.GetStringAsync(new Uri(path, UriKind.Relative)))!;

    private static IEnumerable<string> Names(JsonNode page) => page["items"]!.AsArray().Select(i => (string)i!["name"]!);
}
