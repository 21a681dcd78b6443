using System.Text.Json.Nodes;
using FsCheck;
using FsCheck.Fluent;
using FsCheck.Xunit;
using Reconciler.Model.Validation;

namespace Reconciler.Model.Tests.Validation;

/// <summary>The validator never throws, whatever it is given, and what it says is consistent.</summary>
public class ValidatorPropertyTests
{
    private const string SecretValue = "zz-secret-value-zz";

    private static readonly string[] FieldNames =
    [
        "apiVersion", "kind", "metadata", "spec", "status", "name", "labels", "annotations", "generation", "creationTimestamp",
        "source", "type", "location", "connectionArn", "pulumi", "cliVersion", "accessTokenParameter", "workDir",
        "build", "image", "computeType", "environmentType", "serviceRoleArn", "timeoutMinutes", "environment", "value",
        "stages", "stack", "operation", "on", "pullRequest", "baseBranch", "push", "branch", "tag", "approval",
        "pipeline", "enabled", "roleArn", "artifactBucket", "driftPolicy", "deletionPolicy", "tags", "conditions",
        "stagse", "", "aws:x", "reconciler.io/spec", "a'b", "x/y~z",
    ];

    private static readonly string[] Strings =
    [
        "", " ", "reconciler/v1", "PulumiPipeline", "website", "Website", "main", "a..b", "@", "production",
        "arn:aws:iam::111122223333:role/x", "/pulumi/token", "aws-token", "https://github.com/a/b.git", "https://u:p@h/x",
        "3.140.0", "PARAMETER_STORE", "PLAINTEXT", "BUILD_GENERAL1_SMALL", "up", "preview", "Correct", "Retain",
        "2025-01-31T12:00:00Z", "not-a-date", "\u0000", "\ud800", "\n", "é", new string('x', 300),
    ];

    private static readonly Gen<string> AnyString = Gen.Frequency(
        (3, Gen.Elements(Strings)),
        (1, ArbMap.Default.GeneratorFor<string>().Select(s => s ?? "")));

    private static readonly Gen<JsonNode?> Leaf = Gen.OneOf(
        Gen.Constant<JsonNode?>(null),
        Gen.Elements(true, false).Select(b => (JsonNode?)JsonValue.Create(b)),
        Gen.Elements(0, 1, 5, 60, 2160, 2161, -1, int.MaxValue).Select(i => (JsonNode?)JsonValue.Create(i)),
        Gen.Elements(0.5, 1e300, -2.25).Select(d => (JsonNode?)JsonValue.Create(d)),
        Gen.Elements(long.MaxValue, long.MinValue).Select(l => (JsonNode?)JsonValue.Create(l)),
        AnyString.Select(s => (JsonNode?)JsonValue.Create(s)));

    [Property(MaxTest = 300)]
    public Property Arbitrary_text_never_throws() =>
        Prop.ForAll(Arb.From(Gen.Frequency((1, AnyString), (1, Node(4).Select(n => n?.ToJsonString() ?? "null").Select(Cut)))), text =>
        {
            var result = SpecValidator.Validate("any.json", text);
            return Consistent(result);
        });

    [Property(MaxTest = 300)]
    public Property Arbitrary_JSON_objects_never_throw() =>
        Prop.ForAll(Arb.From(ObjectNode(5)), root =>
        {
            var result = SpecValidator.Validate("tree.json", root.ToJsonString());
            return Consistent(result);
        });

    [Property(MaxTest = 300)]
    public Property Documents_with_one_part_replaced_or_removed_never_throw_and_never_leak_a_secret() =>
        Prop.ForAll(Arb.From(
            from pick in Gen.Choose(0, 10_000)
            from replacement in Node(2)
            from remove in Gen.Elements(true, false)
            select (pick, replacement, remove)), change =>
        {
            var text = Mutated(change.pick, change.replacement, change.remove);
            var result = SpecValidator.Validate("mutated.json", text);
            return Consistent(result)
                && result.Errors.All(e => !e.Message.Contains(SecretValue, StringComparison.Ordinal) && !e.Path.Contains(SecretValue, StringComparison.Ordinal));
        });

    /// <summary>Errors name their source and a path; a valid result carries a document the typed rules accept; the safety net never fires.</summary>
    private static bool Consistent(ValidationResult result) =>
        result.Errors.All(e => e.Source == result.Source && e.Path.StartsWith('$') && e.Message.Length > 0
                               && !e.Message.Contains("internal validator error", StringComparison.Ordinal)
                               && !e.ToString().Contains('\n', StringComparison.Ordinal))
        && (result.IsValid
            ? result.Document is not null && SpecValidator.Validate(result.Source, result.Document).Count == 0
            : result.Document is null);

    private static string Mutated(int pick, JsonNode? replacement, bool remove)
    {
        var doc = JsonNode.Parse(TestDocuments.WithPipeline(d =>
            d.Build()["environment"]!.AsArray().Add(new JsonObject { ["name"] = "API_TOKEN", ["value"] = SecretValue, ["type"] = "PARAMETER_STORE" })))!;
        var spots = new List<JsonNode>();
        Collect(doc, spots);
        var target = spots[pick % spots.Count];
        switch (target.Parent)
        {
            case JsonObject parent:
                var name = target.GetPropertyName();
                if (remove)
                {
                    parent.Remove(name);
                }
                else
                {
                    parent[name] = replacement;
                }
                break;
            case JsonArray array:
                var index = target.GetElementIndex();
                if (remove)
                {
                    array.RemoveAt(index);
                }
                else
                {
                    array[index] = replacement;
                }
                break;
        }
        return doc.ToJsonString();
    }

    private static void Collect(JsonNode node, List<JsonNode> spots)
    {
        if (node.Parent is not null)
        {
            spots.Add(node);
        }
        IEnumerable<JsonNode?> children = node switch
        {
            JsonObject obj => obj.Select(p => p.Value),
            JsonArray array => array,
            _ => [],
        };
        foreach (var child in children)
        {
            if (child is not null)
            {
                Collect(child, spots);
            }
        }
    }

    // Cut JSON text short sometimes, to reach the syntax error paths.
    private static string Cut(string text) => text.Length > 3 && text.Length % 3 == 0 ? text[..(text.Length * 2 / 3)] : text;

    private static Gen<JsonNode?> Node(int depth) => depth <= 0
        ? Leaf
        : Gen.Frequency((3, Leaf), (2, ObjectNode(depth - 1).Select(o => (JsonNode?)o)), (1, ArrayNode(depth - 1)));

    private static Gen<JsonObject> ObjectNode(int depth) =>
        Gen.Choose(0, 6).SelectMany(count => Gen.ListOf(Gen.Zip(Gen.Frequency((4, Gen.Elements(FieldNames)), (1, AnyString)), Node(depth)), count))
            .Select(pairs =>
            {
                var obj = new JsonObject();
                foreach (var (key, value) in pairs)
                {
                    obj[key] = value;
                }
                return obj;
            });

    private static Gen<JsonNode?> ArrayNode(int depth) =>
        Gen.Choose(0, 4).SelectMany(count => Gen.ListOf(Node(depth), count)).Select(items => (JsonNode?)new JsonArray([.. items]));
}
