using System.Text.Json.Nodes;
using Reconciler.LocalCloud.State;
using Reconciler.Model.Aws;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.LocalCloud.Services;

/// <summary>CodePipeline's pipeline and tag operations with the service's semantics; errors carry the <c>com.amazonaws.codepipeline#</c> prefix.</summary>
internal sealed class CodePipelineService(CloudState state, int pageSize)
    : AwsJsonService(ApiModels.CodePipeline, "CodePipeline", "com.amazonaws.codepipeline")
{
    private const int MaxTags = 50;

    private ResourceArns Arns => state.Arns;

    protected override IEnumerable<KeyValuePair<string, Func<JsonObject, JsonObject>>> CreateHandlers() =>
    [
        Op("ListPipelines", ListPipelines),
        Op("GetPipeline", GetPipeline),
        Op("CreatePipeline", CreatePipeline),
        Op("UpdatePipeline", UpdatePipeline),
        Op("DeletePipeline", DeletePipeline),
        Op("GetPipelineState", GetPipelineState),
        Op("ListTagsForResource", ListTagsForResource),
        Op("TagResource", TagResource),
        Op("UntagResource", UntagResource),
    ];

    private JsonObject ListPipelines(JsonObject input)
    {
        var offset = PageToken.Decode(input.OptionalString("nextToken"), InvalidNextToken);
        // Stored declarations are read only under the lock: a parsed JsonNode materializes lazily and is not safe to share.
        var summaries = state.Read(d => d.Pipelines.Values.Select(p => new JsonObject
        {
            ["name"] = p.Name,
            ["version"] = p.Version,
            ["pipelineType"] = p.Declaration["pipelineType"]?.DeepClone(),
            ["executionMode"] = p.Declaration["executionMode"]?.DeepClone(),
            ["created"] = p.Created,
            ["updated"] = p.Updated,
        }).ToList());
        var (page, next) = PageToken.Page(summaries, offset, input.OptionalInt("maxResults") ?? pageSize);
        var output = new JsonObject { ["pipelines"] = page.ToJsonArray() };
        if (next is not null)
        {
            output["nextToken"] = next;
        }
        return output;
    }

    private JsonObject GetPipeline(JsonObject input)
    {
        var name = input.String("name");
        var version = input.OptionalInt("version");
        return state.Read(d =>
        {
            var stored = Existing(d, name);
            if (version is { } v && v != stored.Version)
            {
                // Only the current version is kept; earlier ones are gone, as if they had never been.
                throw Error("PipelineVersionNotFoundException", $"Pipeline '{name}' has no version {v}; the current version is {stored.Version}");
            }
            return new JsonObject
            {
                ["pipeline"] = stored.Declaration.DeepClone(),
                ["metadata"] = new JsonObject
                {
                    ["pipelineArn"] = Arns.Pipeline(name),
                    ["created"] = stored.Created,
                    ["updated"] = stored.Updated,
                },
            };
        });
    }

    private JsonObject CreatePipeline(JsonObject input)
    {
        var declaration = (JsonObject)input["pipeline"]!.DeepClone();
        var name = declaration.String("name");
        declaration["pipelineType"] ??= "V1";
        declaration["executionMode"] ??= "SUPERSEDED";
        declaration["version"] = 1;
        CheckStructure(declaration);
        var tags = ReadTags(input["tags"]);
        CheckTags(tags, tags.Count);
        var output = new JsonObject { ["pipeline"] = declaration.DeepClone() };
        state.Write(d =>
        {
            if (d.Pipelines.ContainsKey(name))
            {
                throw Error("PipelineNameInUseException", $"A pipeline with the name '{name}' already exists in account '{Arns.AccountId}'");
            }
            var now = state.Now();
            d.Pipelines[name] = new StoredPipeline(declaration, now, now, tags);
            return 0;
        });
        if (input["tags"] is { } requested)
        {
            output["tags"] = requested.DeepClone();
        }
        return output;
    }

    private JsonObject UpdatePipeline(JsonObject input)
    {
        var declaration = (JsonObject)input["pipeline"]!.DeepClone();
        var name = declaration.String("name");
        var updated = state.Write(d =>
        {
            var stored = Existing(d, name);
            declaration["pipelineType"] ??= stored.Declaration["pipelineType"]?.DeepClone();
            declaration["executionMode"] ??= "SUPERSEDED";
            // The version in the request is ignored: every update makes the next one.
            declaration["version"] = stored.Version + 1;
            CheckStructure(declaration);
            d.Pipelines[name] = stored with { Declaration = declaration, Updated = state.Now() };
            return declaration.DeepClone();
        });
        return new JsonObject { ["pipeline"] = updated };
    }

    private JsonObject DeletePipeline(JsonObject input)
    {
        // CodePipeline answers success for a pipeline that does not exist.
        var name = input.String("name");
        state.Write(d => d.Pipelines.Remove(name));
        return [];
    }

    private JsonObject GetPipelineState(JsonObject input)
    {
        var name = input.String("name");
        return state.Read(d =>
        {
            var stored = Existing(d, name);
            var stages = stored.Declaration["stages"]!.AsArray().OfType<JsonObject>().Select((stage, i) =>
            {
                var stageState = new JsonObject
                {
                    ["stageName"] = stage["name"]!.DeepClone(),
                    ["actionStates"] = stage["actions"]!.AsArray().OfType<JsonObject>()
                        .Select(a => (JsonNode)new JsonObject { ["actionName"] = a["name"]!.DeepClone() }).ToJsonArray(),
                };
                if (i > 0)
                {
                    stageState["inboundTransitionState"] = new JsonObject { ["enabled"] = true };
                }
                return (JsonNode)stageState;
            });
            return new JsonObject
            {
                ["pipelineName"] = name,
                ["pipelineVersion"] = stored.Version,
                ["stageStates"] = stages.ToJsonArray(),
                ["created"] = stored.Created,
                ["updated"] = stored.Updated,
            };
        });
    }

    private JsonObject ListTagsForResource(JsonObject input)
    {
        var name = PipelineNameOf(input.String("resourceArn"));
        var offset = PageToken.Decode(input.OptionalString("nextToken"), InvalidNextToken);
        var tags = state.Read(d => TaggedPipeline(d, name, input.String("resourceArn")).Tags);
        var (page, next) = PageToken.Page(tags, offset, input.OptionalInt("maxResults") ?? pageSize);
        var output = new JsonObject { ["tags"] = page.Select(TagNode).ToJsonArray() };
        if (next is not null)
        {
            output["nextToken"] = next;
        }
        return output;
    }

    private JsonObject TagResource(JsonObject input)
    {
        var arn = input.String("resourceArn");
        var name = PipelineNameOf(arn);
        var added = ReadTags(input["tags"]);
        state.Write(d =>
        {
            var stored = TaggedPipeline(d, name, arn);
            var merged = stored.Tags.Where(t => !added.Any(a => a.Key == t.Key)).Concat(added).ToList();
            CheckTags(added, merged.Count);
            d.Pipelines[name] = stored with { Tags = merged };
            return 0;
        });
        return [];
    }

    private JsonObject UntagResource(JsonObject input)
    {
        var arn = input.String("resourceArn");
        var name = PipelineNameOf(arn);
        var keys = input.Strings("tagKeys").ToHashSet(StringComparer.Ordinal);
        state.Write(d =>
        {
            var stored = TaggedPipeline(d, name, arn);
            d.Pipelines[name] = stored with { Tags = stored.Tags.Where(t => !keys.Contains(t.Key)).ToList() };
            return 0;
        });
        return [];
    }

    private StoredPipeline Existing(CloudData data, string name) =>
        data.Pipelines.TryGetValue(name, out var stored)
            ? stored
            : throw Error("PipelineNotFoundException", $"Account '{Arns.AccountId}' does not have a pipeline with name '{name}'");

    private StoredPipeline TaggedPipeline(CloudData data, string name, string arn) =>
        data.Pipelines.TryGetValue(name, out var stored)
            ? stored
            : throw Error("ResourceNotFoundException", $"The resource with ARN {arn} was not found");

    /// <summary>The pipeline name in an ARN of this account and region; anything else is InvalidArnException.</summary>
    private string PipelineNameOf(string arn)
    {
        var prefix = $"arn:aws:codepipeline:{Arns.Region}:{Arns.AccountId}:";
        if (!arn.StartsWith(prefix, StringComparison.Ordinal) || arn.Length == prefix.Length || arn[prefix.Length..].Contains(':', StringComparison.Ordinal))
        {
            throw Error("InvalidArnException", $"The ARN {arn} is not a pipeline ARN of account {Arns.AccountId} in {Arns.Region}");
        }
        return arn[prefix.Length..];
    }

    private void CheckStructure(JsonObject declaration)
    {
        var problems = PipelineStructureCheck.Problems(declaration);
        if (problems.Count > 0)
        {
            throw Error("InvalidStructureException", string.Join("; ", problems));
        }
    }

    private void CheckTags(IReadOnlyList<AwsTag> tags, int total)
    {
        if (tags.FirstOrDefault(t => t.Key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase)) is { } reserved)
        {
            throw Error("InvalidTagsException", $"Tag key '{reserved.Key}' uses the reserved prefix 'aws:'");
        }
        if (tags.GroupBy(t => t.Key, StringComparer.Ordinal).FirstOrDefault(g => g.Count() > 1) is { } duplicate)
        {
            throw Error("InvalidTagsException", $"Tag key '{duplicate.Key}' is given more than once");
        }
        if (total > MaxTags)
        {
            throw Error("TooManyTagsException", $"A resource can have at most {MaxTags} tags; this request would make {total}");
        }
    }

    private static List<AwsTag> ReadTags(JsonNode? tags) =>
        tags is JsonArray array
            ? array.OfType<JsonObject>().Select(t => new AwsTag { Key = t.String("key"), Value = t.String("value") }).ToList()
            : [];

    private static JsonNode TagNode(AwsTag tag) => new JsonObject { ["key"] = tag.Key, ["value"] = tag.Value };

    private AwsServiceException InvalidNextToken() => Error("InvalidNextTokenException", "The next token is not valid");
}
