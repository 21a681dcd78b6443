using System.Text.Json.Nodes;

namespace Reconciler.PulumiStandIn.CommandLine;

/// <summary>One flag of the CLI as <c>flags.json</c> declares it.</summary>
/// <param name="Type">pflag's type: <c>bool</c>, <c>string</c>, <c>int</c>, <c>int32</c>, <c>stringArray</c>, <c>stringSlice</c>.</param>
/// <param name="NoOptDefVal">The value a bare <c>--flag</c> takes; bools take <c>true</c>.</param>
internal sealed record FlagSpec(string Name, string? Short, string Type, string? NoOptDefVal)
{
    public bool TakesValue => Type != "bool" && NoOptDefVal is null;
}

/// <summary>
/// The CLI's command-line contract (<c>pulumi-cli/flags.json</c>, read from the real CLI's source): which commands exist,
/// their aliases, and exactly which flags each accepts, including the ones that exist only under an environment variable.
/// </summary>
internal sealed class FlagContract
{
    private readonly JsonObject _root;

    private FlagContract(JsonObject root) => _root = root;

    public static FlagContract Embedded { get; } = Load();

    /// <summary>The commands, by their key in the contract (<c>up</c>, <c>stack select</c>, <c>config set</c>...).</summary>
    public IEnumerable<string> Commands => _root["commands"]!.AsObject().Select(c => c.Key);

    /// <summary>The command key a word names under a parent (<c>""</c> for the root), by name, canonical name or alias.</summary>
    public string? Resolve(string parent, string word)
    {
        foreach (var (key, node) in _root["commands"]!.AsObject())
        {
            var words = key.Split(' ');
            var keyParent = string.Join(' ', words[..^1]);
            if (keyParent != parent)
            {
                continue;
            }
            var canonical = ((string?)node!["canonical_name"])?.Split(' ')[^1];
            var aliases = (node["aliases"] as JsonArray)?.Select(a => (string?)a) ?? [];
            if (words[^1] == word || canonical == word || aliases.Contains(word))
            {
                return key;
            }
        }
        return null;
    }

    /// <summary>Every flag the command accepts in this environment: global, its own, and the persistent ones it inherits.</summary>
    public IReadOnlyList<FlagSpec> FlagsOf(string command, Func<string, string?> environment)
    {
        var flags = new List<FlagSpec>();
        var debugCommands = environment("PULUMI_DEBUG_COMMANDS") is "true" or "1";
        var experimental = environment("PULUMI_EXPERIMENTAL") is "true" or "1";
        foreach (var (name, node) in _root["global"]!["flags"]!.AsObject())
        {
            // --version is local to the root command.
            if (name != "version" || command == "")
            {
                flags.Add(Spec(name, node!.AsObject()));
            }
        }
        if (command == "")
        {
            return flags;
        }
        var spec = _root["commands"]![command]!.AsObject();
        foreach (var (name, node) in spec["flags"]?.AsObject() ?? [])
        {
            var when = (string?)node!["when"];
            if (when is not null && when.Contains("PULUMI_DEBUG_COMMANDS", StringComparison.Ordinal) && !debugCommands)
            {
                continue;
            }
            flags.Add(Spec(name, node.AsObject()));
        }
        foreach (var inherited in (spec["inherits"] as JsonArray ?? []).Select(i => (string?)i ?? ""))
        {
            var parent = inherited.StartsWith("config persistent", StringComparison.Ordinal) ? "config"
                : inherited.StartsWith("stack persistent", StringComparison.Ordinal) ? "stack"
                : null;
            if (parent is null)
            {
                continue;
            }
            foreach (var (name, node) in _root["commands"]![parent]!["flags"]!.AsObject())
            {
                if ((bool?)node!["local"] != true && flags.All(f => f.Name != name))
                {
                    flags.Add(Spec(name, node.AsObject()));
                }
            }
        }
        if (spec["remote_flags"] is not null && experimental)
        {
            foreach (var (name, node) in _root["remote_flag_group"]!["flags"]!.AsObject())
            {
                flags.Add(Spec(name, node!.AsObject()));
            }
        }
        return flags;
    }

    private static FlagSpec Spec(string name, JsonObject node) =>
        new(name, (string?)node["short"], (string?)node["type"] ?? "string", (string?)node["noOptDefVal"]);

    private static FlagContract Load()
    {
        using var stream = typeof(FlagContract).Assembly.GetManifestResourceStream("pulumi-cli/flags.json")
            ?? throw new InvalidOperationException("flags.json is not embedded");
        return new FlagContract(JsonNode.Parse(stream)!.AsObject());
    }
}
