using System.Text.Json.Nodes;
using Reconciler.Model.Aws;

namespace Reconciler.Model.Rendering.Pulumi;

/// <summary>
/// Translates the API request bodies into the Pulumi AWS provider's input properties and back. The provider
/// renames and reshapes several members (<c>timeoutInMinutes</c> → <c>buildTimeout</c>, tag lists → maps,
/// webhook filter groups → <c>filterGroups[].filters[]</c>, one artifact store → <c>artifactStores[]</c>,
/// an action's <c>actionTypeId</c> flattened into it); both directions live here so that the round trip is one table.
/// </summary>
public static class ProviderInputs
{
    /// <summary>The <c>aws:codebuild/project:Project</c> inputs of a project body; tags are passed separately as the resource's own.</summary>
    public static JsonObject Project(CodeBuildProject project)
    {
        var inputs = new JsonObject { ["name"] = project.Name };
        Add(inputs, "description", project.Description);
        inputs["source"] = Source(project.Source);
        Add(inputs, "sourceVersion", project.SourceVersion);
        inputs["artifacts"] = Object(
            ("type", project.Artifacts.Type), ("location", project.Artifacts.Location),
            ("name", project.Artifacts.Name), ("packaging", project.Artifacts.Packaging));
        inputs["environment"] = Environment(project.Environment);
        inputs["serviceRole"] = project.ServiceRole;
        Add(inputs, "buildTimeout", project.TimeoutInMinutes);
        Add(inputs, "queuedTimeout", project.QueuedTimeoutInMinutes);
        Add(inputs, "badgeEnabled", project.BadgeEnabled);
        Add(inputs, "concurrentBuildLimit", project.ConcurrentBuildLimit);
        if (project.LogsConfig?.CloudWatchLogs is { } logs)
        {
            inputs["logsConfig"] = new JsonObject
            {
                ["cloudwatchLogs"] = Object(("status", logs.Status), ("groupName", logs.GroupName), ("streamName", logs.StreamName)),
            };
        }
        AddTags(inputs, project.Tags);
        return inputs;
    }

    /// <summary>The project body a set of <c>aws:codebuild/project:Project</c> inputs describes.</summary>
    public static CodeBuildProject ToProject(JsonObject inputs)
    {
        var source = inputs["source"]!.AsObject();
        var artifacts = inputs["artifacts"]!.AsObject();
        var environment = inputs["environment"]!.AsObject();
        var logs = inputs["logsConfig"]?["cloudwatchLogs"]?.AsObject();
        return new CodeBuildProject
        {
            Name = Str(inputs, "name") ?? "",
            Description = Str(inputs, "description"),
            Source = new ProjectSource
            {
                Type = Str(source, "type") ?? "",
                Location = Str(source, "location"),
                GitCloneDepth = Int(source, "gitCloneDepth"),
                Buildspec = Str(source, "buildspec"),
                ReportBuildStatus = Bool(source, "reportBuildStatus"),
                InsecureSsl = Bool(source, "insecureSsl"),
                Auth = source["auth"] is JsonObject auth
                    ? new SourceAuth { Type = Str(auth, "type") ?? "", Resource = Str(auth, "resource") }
                    : null,
            },
            SourceVersion = Str(inputs, "sourceVersion"),
            Artifacts = new ProjectArtifacts
            {
                Type = Str(artifacts, "type") ?? "",
                Location = Str(artifacts, "location"),
                Name = Str(artifacts, "name"),
                Packaging = Str(artifacts, "packaging"),
            },
            Environment = new ProjectEnvironment
            {
                Type = Str(environment, "type") ?? "",
                Image = Str(environment, "image") ?? "",
                ComputeType = Str(environment, "computeType") ?? "",
                EnvironmentVariables = environment["environmentVariables"] is JsonArray variables
                    ? variables.Select(v => new BuildEnvironmentVariable
                    {
                        Name = Str(v!.AsObject(), "name") ?? "",
                        Value = Str(v.AsObject(), "value") ?? "",
                        Type = Str(v.AsObject(), "type"),
                    }).ToList()
                    : null,
                PrivilegedMode = Bool(environment, "privilegedMode"),
                ImagePullCredentialsType = Str(environment, "imagePullCredentialsType"),
            },
            ServiceRole = Str(inputs, "serviceRole") ?? "",
            TimeoutInMinutes = Int(inputs, "buildTimeout"),
            QueuedTimeoutInMinutes = Int(inputs, "queuedTimeout"),
            BadgeEnabled = Bool(inputs, "badgeEnabled"),
            ConcurrentBuildLimit = Int(inputs, "concurrentBuildLimit"),
            LogsConfig = logs is null
                ? null
                : new LogsConfig
                {
                    CloudWatchLogs = new CloudWatchLogsConfig
                    {
                        Status = Str(logs, "status") ?? "ENABLED",
                        GroupName = Str(logs, "groupName"),
                        StreamName = Str(logs, "streamName"),
                    },
                },
            Tags = ToTags(inputs),
        };
    }

    /// <summary>The <c>aws:codebuild/webhook:Webhook</c> inputs of a CreateWebhook body.</summary>
    public static JsonObject Webhook(WebhookRequest webhook)
    {
        var inputs = new JsonObject { ["projectName"] = webhook.ProjectName };
        Add(inputs, "branchFilter", webhook.BranchFilter);
        if (webhook.FilterGroups is { } groups)
        {
            inputs["filterGroups"] = new JsonArray(groups.Select(group => (JsonNode?)new JsonObject
            {
                ["filters"] = new JsonArray(group.Select(filter => (JsonNode?)Object(
                    ("type", filter.Type), ("pattern", filter.Pattern), ("excludeMatchedPattern", filter.ExcludeMatchedPattern))).ToArray()),
            }).ToArray());
        }
        Add(inputs, "buildType", webhook.BuildType);
        return inputs;
    }

    /// <summary>The CreateWebhook body a set of <c>aws:codebuild/webhook:Webhook</c> inputs describes.</summary>
    public static WebhookRequest ToWebhook(JsonObject inputs) => new()
    {
        ProjectName = Str(inputs, "projectName") ?? "",
        BranchFilter = Str(inputs, "branchFilter"),
        FilterGroups = inputs["filterGroups"] is JsonArray groups
            ? groups.Select(group => (IReadOnlyList<WebhookFilter>)((group?["filters"] as JsonArray) ?? [])
                .Select(f => new WebhookFilter
                {
                    Type = Str(f!.AsObject(), "type") ?? "",
                    Pattern = Str(f.AsObject(), "pattern") ?? "",
                    ExcludeMatchedPattern = Bool(f.AsObject(), "excludeMatchedPattern"),
                }).ToList()).ToList()
            : null,
        BuildType = Str(inputs, "buildType"),
    };

    /// <summary>The <c>aws:codepipeline/pipeline:Pipeline</c> inputs of a pipeline declaration and its tags.</summary>
    public static JsonObject Pipeline(PipelineDeclaration pipeline, IReadOnlyList<AwsTag>? tags)
    {
        var inputs = new JsonObject { ["name"] = pipeline.Name, ["roleArn"] = pipeline.RoleArn };
        inputs["artifactStores"] = pipeline.ArtifactStore is { } store
            ? new JsonArray(Object(("type", store.Type), ("location", store.Location)))
            : new JsonArray();
        inputs["stages"] = new JsonArray(pipeline.Stages.Select(stage => (JsonNode?)new JsonObject
        {
            ["name"] = stage.Name,
            ["actions"] = new JsonArray(stage.Actions.Select(action => (JsonNode?)Action(action)).ToArray()),
        }).ToArray());
        Add(inputs, "executionMode", pipeline.ExecutionMode);
        Add(inputs, "pipelineType", pipeline.PipelineType);
        if (pipeline.Triggers is { } triggers)
        {
            inputs["triggers"] = new JsonArray(triggers.Select(trigger => (JsonNode?)new JsonObject
            {
                ["providerType"] = trigger.ProviderType,
                ["gitConfiguration"] = GitConfiguration(trigger.GitConfiguration),
            }).ToArray());
        }
        AddTags(inputs, tags);
        return inputs;
    }

    /// <summary>The pipeline declaration and tags a set of <c>aws:codepipeline/pipeline:Pipeline</c> inputs describes.</summary>
    public static (PipelineDeclaration Declaration, IReadOnlyList<AwsTag> Tags) ToPipeline(JsonObject inputs)
    {
        var store = (inputs["artifactStores"] as JsonArray)?.FirstOrDefault()?.AsObject();
        var declaration = new PipelineDeclaration
        {
            Name = Str(inputs, "name") ?? "",
            RoleArn = Str(inputs, "roleArn") ?? "",
            ArtifactStore = store is null ? null : new ArtifactStore { Type = Str(store, "type") ?? "", Location = Str(store, "location") ?? "" },
            Stages = ((inputs["stages"] as JsonArray) ?? []).Select(stage => new StageDeclaration
            {
                Name = Str(stage!.AsObject(), "name") ?? "",
                Actions = ((stage["actions"] as JsonArray) ?? []).Select(a => ToAction(a!.AsObject())).ToList(),
            }).ToList(),
            ExecutionMode = Str(inputs, "executionMode"),
            PipelineType = Str(inputs, "pipelineType"),
            Triggers = inputs["triggers"] is JsonArray triggers
                ? triggers.Select(t => new PipelineTriggerDeclaration
                {
                    ProviderType = Str(t!.AsObject(), "providerType") ?? "",
                    GitConfiguration = ToGitConfiguration(t["gitConfiguration"]!.AsObject()),
                }).ToList()
                : null,
        };
        return (declaration, ToTags(inputs) ?? []);
    }

    private static JsonObject Source(ProjectSource source)
    {
        var inputs = Object(
            ("type", source.Type), ("location", source.Location), ("gitCloneDepth", source.GitCloneDepth),
            ("buildspec", source.Buildspec), ("reportBuildStatus", source.ReportBuildStatus), ("insecureSsl", source.InsecureSsl));
        if (source.Auth is { } auth)
        {
            inputs["auth"] = Object(("type", auth.Type), ("resource", auth.Resource));
        }
        return inputs;
    }

    private static JsonObject Environment(ProjectEnvironment environment)
    {
        var inputs = Object(("type", environment.Type), ("image", environment.Image), ("computeType", environment.ComputeType));
        if (environment.EnvironmentVariables is { } variables)
        {
            inputs["environmentVariables"] = new JsonArray(variables.Select(v => (JsonNode?)Object(
                ("name", v.Name), ("value", v.Value), ("type", v.Type))).ToArray());
        }
        Add(inputs, "privilegedMode", environment.PrivilegedMode);
        Add(inputs, "imagePullCredentialsType", environment.ImagePullCredentialsType);
        return inputs;
    }

    // The provider flattens actionTypeId into the action and names artifacts by plain strings.
    private static JsonObject Action(ActionDeclaration action)
    {
        var inputs = Object(
            ("name", action.Name), ("category", action.ActionTypeId.Category), ("owner", action.ActionTypeId.Owner),
            ("provider", action.ActionTypeId.Provider), ("version", action.ActionTypeId.Version), ("runOrder", action.RunOrder));
        if (action.Configuration is { } configuration)
        {
            inputs["configuration"] = new JsonObject(configuration.Select(c => KeyValuePair.Create(c.Key, (JsonNode?)c.Value)));
        }
        if (action.InputArtifacts is { } inputArtifacts)
        {
            inputs["inputArtifacts"] = new JsonArray(inputArtifacts.Select(a => (JsonNode?)a.Name).ToArray());
        }
        if (action.OutputArtifacts is { } outputArtifacts)
        {
            inputs["outputArtifacts"] = new JsonArray(outputArtifacts.Select(a => (JsonNode?)a.Name).ToArray());
        }
        Add(inputs, "roleArn", action.RoleArn);
        Add(inputs, "region", action.Region);
        Add(inputs, "namespace", action.Namespace);
        return inputs;
    }

    private static ActionDeclaration ToAction(JsonObject inputs) => new()
    {
        Name = Str(inputs, "name") ?? "",
        ActionTypeId = new ActionTypeId
        {
            Category = Str(inputs, "category") ?? "",
            Owner = Str(inputs, "owner") ?? "",
            Provider = Str(inputs, "provider") ?? "",
            Version = Str(inputs, "version") ?? "",
        },
        RunOrder = Int(inputs, "runOrder"),
        Configuration = inputs["configuration"] is JsonObject configuration
            ? new SortedDictionary<string, string>(configuration.ToDictionary(c => c.Key, c => c.Value!.GetValue<string>()), StringComparer.Ordinal)
            : null,
        InputArtifacts = ToArtifacts(inputs["inputArtifacts"]),
        OutputArtifacts = ToArtifacts(inputs["outputArtifacts"]),
        RoleArn = Str(inputs, "roleArn"),
        Region = Str(inputs, "region"),
        Namespace = Str(inputs, "namespace"),
    };

    private static List<ArtifactRef>? ToArtifacts(JsonNode? node) =>
        node is JsonArray names ? names.Select(n => new ArtifactRef { Name = n!.GetValue<string>() }).ToList() : null;

    private static JsonObject GitConfiguration(GitConfiguration git)
    {
        var inputs = new JsonObject { ["sourceActionName"] = git.SourceActionName };
        if (git.Push is { } pushes)
        {
            inputs["pushes"] = new JsonArray(pushes.Select(push =>
            {
                var filter = new JsonObject();
                AddCriteria(filter, "branches", push.Branches);
                AddCriteria(filter, "tags", push.Tags);
                return (JsonNode?)filter;
            }).ToArray());
        }
        if (git.PullRequest is { } pullRequests)
        {
            inputs["pullRequests"] = new JsonArray(pullRequests.Select(pullRequest =>
            {
                var filter = new JsonObject();
                if (pullRequest.Events is { } events)
                {
                    filter["events"] = Strings(events);
                }
                AddCriteria(filter, "branches", pullRequest.Branches);
                return (JsonNode?)filter;
            }).ToArray());
        }
        return inputs;
    }

    private static GitConfiguration ToGitConfiguration(JsonObject inputs) => new()
    {
        SourceActionName = Str(inputs, "sourceActionName") ?? "",
        Push = inputs["pushes"] is JsonArray pushes
            ? pushes.Select(p => new GitPushFilter { Branches = ToCriteria(p?["branches"]), Tags = ToCriteria(p?["tags"]) }).ToList()
            : null,
        PullRequest = inputs["pullRequests"] is JsonArray pullRequests
            ? pullRequests.Select(p => new GitPullRequestFilter
            {
                Events = ToStrings(p?["events"]),
                Branches = ToCriteria(p?["branches"]),
            }).ToList()
            : null,
    };

    private static void AddCriteria(JsonObject target, string name, GitFilterCriteria? criteria)
    {
        if (criteria is null)
        {
            return;
        }
        var inputs = new JsonObject();
        if (criteria.Includes is { } includes)
        {
            inputs["includes"] = Strings(includes);
        }
        if (criteria.Excludes is { } excludes)
        {
            inputs["excludes"] = Strings(excludes);
        }
        target[name] = inputs;
    }

    private static GitFilterCriteria? ToCriteria(JsonNode? node) => node is JsonObject criteria
        ? new GitFilterCriteria { Includes = ToStrings(criteria["includes"]), Excludes = ToStrings(criteria["excludes"]) }
        : null;

    // The provider takes tags as a map; AWS's list is sorted by key on the way back so the round trip is stable.
    private static void AddTags(JsonObject inputs, IReadOnlyList<AwsTag>? tags)
    {
        if (tags is not null)
        {
            inputs["tags"] = new JsonObject(tags.Select(t => KeyValuePair.Create(t.Key, (JsonNode?)t.Value)));
        }
    }

    private static List<AwsTag>? ToTags(JsonObject inputs) => inputs["tags"] is JsonObject tags
        ? tags.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => new AwsTag { Key = t.Key, Value = t.Value!.GetValue<string>() }).ToList()
        : null;

    private static JsonArray Strings(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());

    private static List<string>? ToStrings(JsonNode? node) => node is JsonArray values ? values.Select(v => v!.GetValue<string>()).ToList() : null;

    private static JsonObject Object(params (string Name, object? Value)[] members)
    {
        var inputs = new JsonObject();
        foreach (var (name, value) in members)
        {
            Add(inputs, name, value);
        }
        return inputs;
    }

    private static void Add(JsonObject inputs, string name, object? value)
    {
        switch (value)
        {
            case null:
                return;
            case string s:
                inputs[name] = s;
                break;
            case int i:
                inputs[name] = i;
                break;
            case bool b:
                inputs[name] = b;
                break;
            default:
                throw new ArgumentException($"{name}: no provider encoding for {value.GetType().Name}", nameof(value));
        }
    }

    private static string? Str(JsonObject inputs, string name) => inputs[name]?.GetValue<string>();

    private static int? Int(JsonObject inputs, string name) => inputs[name] switch
    {
        JsonValue v when v.TryGetValue<int>(out var i) => i,
        JsonValue v when v.TryGetValue<long>(out var l) => checked((int)l),
        JsonValue v => (int)v.GetValue<double>(),
        _ => null,
    };

    private static bool? Bool(JsonObject inputs, string name) => inputs[name]?.GetValue<bool>();
}
