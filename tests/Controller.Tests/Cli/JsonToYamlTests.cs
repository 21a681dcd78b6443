using System.Text.Json.Nodes;
using Reconciler.Controller.Cli;

namespace Reconciler.Controller.Tests.Cli;

public class JsonToYamlTests
{
    [Fact]
    public void Strings_that_yaml_would_read_as_other_types_stay_strings()
    {
        var json = JsonNode.Parse("""
            { "version": "1", "flag": "true", "switch": "on", "answer": "no", "nothing": "null", "empty": "",
              "date": "2024-01-31", "hex": "0x1F", "float": "1.5e3", "inf": ".inf", "merge": "<<",
              "colon": "a: b", "hash": "x #y", "dash": "- item", "quote": "'q'", "star": "*alias",
              "number": 60, "real": 2.5, "yes": true, "list": [ "1", 1, false ] }
            """);

        var yaml = JsonToYaml.Convert(json);

        Assert.True(JsonNode.DeepEquals(json, YamlToJson.Read(yaml)), yaml);
        Assert.Contains("number: 60\n", yaml, StringComparison.Ordinal);
        Assert.Contains("version: \"1\"\n", yaml, StringComparison.Ordinal);
        Assert.DoesNotContain("...", yaml, StringComparison.Ordinal);
    }

    [Fact]
    public void Multi_line_strings_become_literal_blocks()
    {
        var json = new JsonObject { ["buildspec"] = "version: 0.2\nphases:\n  build:\n    commands:\n      - echo hi\n" };

        var yaml = JsonToYaml.Convert(json);

        Assert.StartsWith("buildspec: |\n  version: 0.2\n  phases:\n", yaml, StringComparison.Ordinal);
        Assert.True(JsonNode.DeepEquals(json, YamlToJson.Read(yaml)));
    }
}
