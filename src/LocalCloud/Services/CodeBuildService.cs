using System.Security.Cryptography;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Reconciler.LocalCloud.State;
using Reconciler.Model.Aws.ApiModels;

namespace Reconciler.LocalCloud.Services;

/// <summary>CodeBuild's project, webhook and build operations with the service's semantics; errors carry bare codes as CodeBuild sends them.</summary>
internal sealed class CodeBuildService(CloudState state, int pageSize) : AwsJsonService(ApiModels.CodeBuild, "CodeBuild", errorNamespace: null)
{
    // The source providers CodeBuild can create webhooks for.
    private static readonly HashSet<string> WebhookSources = ["GITHUB", "GITHUB_ENTERPRISE", "BITBUCKET", "GITLAB", "GITLAB_SELF_MANAGED"];

    private static readonly HashSet<string> LocatedSources = [.. WebhookSources, "CODECOMMIT", "S3"];

    private static readonly HashSet<string> WebhookEvents =
    [
        "PUSH", "PULL_REQUEST_CREATED", "PULL_REQUEST_UPDATED", "PULL_REQUEST_REOPENED", "PULL_REQUEST_MERGED",
        "PULL_REQUEST_CLOSED", "RELEASED", "PRERELEASED", "WORKFLOW_JOB_QUEUED",
    ];

    private ResourceArns Arns => state.Arns;

    protected override IEnumerable<KeyValuePair<string, Func<JsonObject, JsonObject>>> CreateHandlers() =>
    [
        Op("BatchGetProjects", BatchGetProjects),
        Op("ListProjects", ListProjects),
        Op("CreateProject", CreateProject),
        Op("UpdateProject", UpdateProject),
        Op("DeleteProject", DeleteProject),
        Op("CreateWebhook", CreateWebhook),
        Op("UpdateWebhook", UpdateWebhook),
        Op("DeleteWebhook", DeleteWebhook),
        Op("BatchGetBuilds", BatchGetBuilds),
        Op("ListBuildsForProject", ListBuildsForProject),
    ];

    private JsonObject BatchGetProjects(JsonObject input)
    {
        var names = input.Strings("names").Distinct(StringComparer.Ordinal).ToList();
        // Only the look-ups hold the lock; the answer is written from the stored bytes, never parsed.
        var stored = state.Read(d => names.Select(n => (Name: n, Json: d.Projects.TryGetJson(n, out var json) ? json : null)).ToList());
        var found = new JsonArray([.. stored.Where(p => p.Json is not null).Select(p => RawJson.Node(p.Json))]);
        var missing = stored.Where(p => p.Json is null).Select(p => p.Name).ToJsonArray();
        return new JsonObject { ["projects"] = found }.WithNonEmpty("projectsNotFound", missing);
    }

    private JsonObject ListProjects(JsonObject input)
    {
        var offset = PageToken.Decode(input.OptionalString("nextToken"), () => InvalidInput("Invalid next token"));
        var sortBy = input.OptionalString("sortBy") ?? "NAME";
        var descending = input.OptionalString("sortOrder") == "DESCENDING";
        var names = state.Read(d =>
        {
            // The projects are kept sorted by name (ordinal); the stable sorts below break ties by name.
            var list = sortBy switch
            {
                "CREATED_TIME" => d.Projects.Values.OrderBy(p => (double)p["created"]!).Select(p => (string)p["name"]!).ToList(),
                "LAST_MODIFIED_TIME" => d.Projects.Values.OrderBy(p => (double)p["lastModified"]!).Select(p => (string)p["name"]!).ToList(),
                _ => d.Projects.Keys.ToList(),
            };
            if (descending)
            {
                list.Reverse();
            }
            return list;
        });
        var (page, next) = PageToken.Page(names, offset, pageSize);
        var output = new JsonObject().WithNonEmpty("projects", page.ToJsonArray());
        if (next is not null)
        {
            output["nextToken"] = next;
        }
        return output;
    }

    private JsonObject CreateProject(JsonObject input)
    {
        var name = input.String("name");
        var project = state.Write(d =>
        {
            if (d.Projects.ContainsKey(name))
            {
                throw Error("ResourceAlreadyExistsException", $"Project already exists: {Arns.Project(name)}");
            }
            var now = state.Now();
            var project = new JsonObject { ["name"] = name, ["arn"] = Arns.Project(name) };
            CopyProjectMembers(input, project);
            project["timeoutInMinutes"] ??= 60;
            project["queuedTimeoutInMinutes"] ??= 480;
            project["encryptionKey"] ??= $"arn:aws:kms:{Arns.Region}:{Arns.AccountId}:alias/aws/s3";
            project["badge"] ??= new JsonObject { ["badgeEnabled"] = false };
            project["cache"] ??= new JsonObject { ["type"] = "NO_CACHE" };
            project["logsConfig"] ??= new JsonObject
            {
                ["cloudWatchLogs"] = new JsonObject { ["status"] = "ENABLED" },
                ["s3Logs"] = new JsonObject { ["status"] = "DISABLED", ["encryptionDisabled"] = false },
            };
            project["projectVisibility"] = "PRIVATE";
            project["created"] = now;
            project["lastModified"] = now;
            CheckProject(project);
            d.Projects[name] = project;
            return project.DeepClone();
        });
        return new JsonObject { ["project"] = project };
    }

    private JsonObject UpdateProject(JsonObject input)
    {
        var name = input.String("name");
        var project = state.Write(d =>
        {
            if (!d.Projects.TryGetValue(name, out var current))
            {
                throw Error("ResourceNotFoundException", $"Project cannot be found: {Arns.Project(name)}");
            }
            var project = (JsonObject)current.DeepClone();
            CopyProjectMembers(input, project);
            project["lastModified"] = state.Now();
            CheckProject(project);
            d.Projects[name] = project;
            return project.DeepClone();
        });
        return new JsonObject { ["project"] = project };
    }

    private JsonObject DeleteProject(JsonObject input)
    {
        // Deleting a project that does not exist succeeds, as it does on CodeBuild.
        var name = input.String("name");
        state.Write(d =>
        {
            var removed = d.Projects.Remove(name);
            foreach (var id in d.Builds.Where(b => (string?)b.Value["projectName"] == name).Select(b => b.Key).ToList())
            {
                d.Builds.Remove(id);
            }
            return removed;
        });
        return [];
    }

    private JsonObject CreateWebhook(JsonObject input)
    {
        var name = input.String("projectName");
        CheckFilterGroups(input);
        var webhook = state.Write(d =>
        {
            var project = ExistingProject(d, name);
            if (project["webhook"] is not null)
            {
                throw Error("ResourceAlreadyExistsException", $"Webhook already exists for project: {Arns.Project(name)}");
            }
            var sourceType = (string?)project["source"]?["type"] ?? "";
            if (!WebhookSources.Contains(sourceType))
            {
                throw InvalidInput($"Webhooks are not supported for source type {sourceType}");
            }
            var webhook = new JsonObject
            {
                ["url"] = HookUrl((string?)project["source"]?["location"]),
                ["payloadUrl"] = $"https://codebuild.{Arns.Region}.amazonaws.com/webhooks?t={Token()}&v=1",
                ["buildType"] = input.OptionalString("buildType") ?? "BUILD",
                ["manualCreation"] = input.Bool("manualCreation"),
                ["status"] = "ACTIVE",
                ["lastModifiedSecret"] = state.Now(),
            };
            CopyWebhookMembers(input, webhook);
            if (input["scopeConfiguration"] is { } scope)
            {
                webhook["scopeConfiguration"] = scope.DeepClone();
            }
            project["webhook"] = webhook;
            d.Projects[name] = project;
            return (JsonObject)webhook.DeepClone();
        });
        // The secret exists only in this answer: CodeBuild never returns it again, and LocalCloud does not keep it.
        webhook["secret"] = Token();
        return new JsonObject { ["webhook"] = webhook };
    }

    private JsonObject UpdateWebhook(JsonObject input)
    {
        var name = input.String("projectName");
        CheckFilterGroups(input);
        var webhook = state.Write(d =>
        {
            var project = ExistingProject(d, name);
            var webhook = ExistingWebhook(project, name);
            CopyWebhookMembers(input, webhook);
            if (input.OptionalString("buildType") is { } buildType)
            {
                webhook["buildType"] = buildType;
            }
            if (input.Bool("rotateSecret"))
            {
                webhook["lastModifiedSecret"] = state.Now();
            }
            d.Projects[name] = project;
            return webhook.DeepClone();
        });
        return new JsonObject { ["webhook"] = webhook };
    }

    private JsonObject DeleteWebhook(JsonObject input)
    {
        var name = input.String("projectName");
        state.Write(d =>
        {
            var project = ExistingProject(d, name);
            ExistingWebhook(project, name);
            project.Remove("webhook");
            d.Projects[name] = project;
            return true;
        });
        return [];
    }

    private JsonObject BatchGetBuilds(JsonObject input)
    {
        var ids = input.Strings("ids").Distinct(StringComparer.Ordinal).ToList();
        return state.Read(d => new JsonObject
        {
            ["builds"] = ids.Where(d.Builds.ContainsKey).Select(id => d.Builds[id].DeepClone()).ToJsonArray(),
        }.WithNonEmpty("buildsNotFound", ids.Where(id => !d.Builds.ContainsKey(id)).ToJsonArray()));
    }

    private JsonObject ListBuildsForProject(JsonObject input)
    {
        var name = input.String("projectName");
        var offset = PageToken.Decode(input.OptionalString("nextToken"), () => InvalidInput("Invalid next token"));
        var ascending = input.OptionalString("sortOrder") == "ASCENDING";
        var ids = state.Read(d =>
        {
            ExistingProject(d, name);
            var builds = d.Builds.Values.Where(b => (string?)b["projectName"] == name);
            var ordered = ascending
                ? builds.OrderBy(b => (long?)b["buildNumber"] ?? 0)
                : builds.OrderByDescending(b => (long?)b["buildNumber"] ?? 0);
            return ordered.Select(b => (string)b["id"]!).ToList();
        });
        var (page, next) = PageToken.Page(ids, offset, pageSize);
        var output = new JsonObject().WithNonEmpty("ids", page.ToJsonArray());
        if (next is not null)
        {
            output["nextToken"] = next;
        }
        return output;
    }

    // A copy: a change to it is kept only when stored again.
    private JsonObject ExistingProject(CloudData data, string name) =>
        data.Projects.TryGetValue(name, out var project)
            ? project
            : throw Error("ResourceNotFoundException", $"Project cannot be found: {Arns.Project(name)}");

    private JsonObject ExistingWebhook(JsonObject project, string name) =>
        project["webhook"] as JsonObject ?? throw Error("ResourceNotFoundException", $"Webhook cannot be found for project: {Arns.Project(name)}");

    /// <summary>Copies the members a request sets onto a project; each replaces the member whole, as CodeBuild does.</summary>
    private static void CopyProjectMembers(JsonObject input, JsonObject project)
    {
        foreach (var (member, value) in input)
        {
            if (value is null || member == "name")
            {
                continue;
            }
            if (member == "badgeEnabled")
            {
                // The request's flag is answered as the project's badge structure.
                project["badge"] = new JsonObject { ["badgeEnabled"] = value.DeepClone() };
                continue;
            }
            project[member] = value.DeepClone();
        }
    }

    private static void CopyWebhookMembers(JsonObject input, JsonObject webhook)
    {
        foreach (var member in new[] { "branchFilter", "filterGroups" })
        {
            if (input[member] is { } value)
            {
                webhook[member] = value.DeepClone();
            }
        }
    }

    /// <summary>The checks CodeBuild makes beyond the model's constraints.</summary>
    private void CheckProject(JsonObject project)
    {
        var sourceType = (string?)project["source"]?["type"] ?? "";
        var artifactsType = (string?)project["artifacts"]?["type"] ?? "";
        if ((sourceType == "CODEPIPELINE") != (artifactsType == "CODEPIPELINE"))
        {
            throw InvalidInput($"Source type {sourceType} does not match artifacts type {artifactsType}: CODEPIPELINE source and artifacts go together");
        }
        if (sourceType == "NO_SOURCE" && string.IsNullOrWhiteSpace((string?)project["source"]?["buildspec"]))
        {
            throw InvalidInput("Source type NO_SOURCE requires a buildspec");
        }
        if (LocatedSources.Contains(sourceType) && string.IsNullOrWhiteSpace((string?)project["source"]?["location"]))
        {
            throw InvalidInput($"Source location is required for source type {sourceType}");
        }
        if (project["webhook"] is not null && !WebhookSources.Contains(sourceType))
        {
            throw InvalidInput($"Source type {sourceType} does not support the project's webhook; delete the webhook first");
        }
    }

    /// <summary>Each filter group needs exactly one EVENT filter naming known events, and every other pattern must be a regular expression.</summary>
    private void CheckFilterGroups(JsonObject input)
    {
        if (input["filterGroups"] is not JsonArray groups)
        {
            return;
        }
        for (var g = 0; g < groups.Count; g++)
        {
            var filters = groups[g]?.AsArray() ?? [];
            var events = filters.Where(f => (string?)f?["type"] == "EVENT").ToList();
            if (events.Count != 1)
            {
                throw InvalidInput($"filterGroups[{g}]: a filter group must contain exactly one EVENT filter, found {events.Count}");
            }
            var unknown = ((string?)events[0]!["pattern"] ?? "").Split(',', StringSplitOptions.TrimEntries)
                .Where(e => !WebhookEvents.Contains(e)).ToList();
            if (unknown.Count > 0)
            {
                throw InvalidInput($"filterGroups[{g}]: unknown webhook event {string.Join(", ", unknown)}");
            }
            foreach (var filter in filters.Where(f => (string?)f?["type"] != "EVENT"))
            {
                var pattern = (string?)filter?["pattern"] ?? "";
                try
                {
                    _ = new Regex(pattern, RegexOptions.None, TimeSpan.FromSeconds(1));
                }
                catch (ArgumentException)
                {
                    throw InvalidInput($"filterGroups[{g}]: {filter?["type"]} pattern is not a valid regular expression: {pattern}");
                }
            }
        }
    }

    private static string HookUrl(string? location)
    {
        // GitHub answers with the repository hook's API address; other providers with a comparable one.
        var path = Uri.TryCreate(location, UriKind.Absolute, out var uri) ? uri.AbsolutePath.Trim('/') : "repository";
        if (path.EndsWith(".git", StringComparison.Ordinal))
        {
            path = path[..^4];
        }
        return $"https://api.github.com/repos/{path}/hooks/{RandomNumberGenerator.GetInt32(100_000_000, 999_999_999)}";
    }

    private static string Token() => Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(20));

    private AwsServiceException InvalidInput(string message) => Error("InvalidInputException", message);
}
