namespace Reconciler.PulumiStandIn.CommandLine;

/// <summary>A command line parsed the way cobra and pflag parse it: the command, its flags' values, and the positional arguments.</summary>
internal sealed class ParsedCommand
{
    private readonly Dictionary<string, List<string>> _values = new(StringComparer.Ordinal);

    private ParsedCommand(string command) => Command = command;

    /// <summary>The command's key in the contract, <c>""</c> for the root.</summary>
    public string Command { get; }

    public List<string> Arguments { get; } = [];

    public bool Has(string flag) => _values.ContainsKey(flag);

    public string? Value(string flag) => _values.TryGetValue(flag, out var values) ? values[^1] : null;

    public IReadOnlyList<string> Values(string flag) => _values.TryGetValue(flag, out var values) ? values : [];

    public bool Bool(string flag) => Value(flag) is "true" or "1";

    /// <summary>Parses arguments against the contract; a flag the command does not have is a <see cref="UsageException"/> with cobra's text.</summary>
    public static ParsedCommand Parse(IReadOnlyList<string> args, FlagContract contract, Func<string, string?> environment)
    {
        // Cobra finds the command first, skipping flags (and a value-taking flag's value) on the way.
        var command = "";
        var commandWords = new HashSet<int>();
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (arg == "--")
            {
                break;
            }
            if (arg.StartsWith('-'))
            {
                var spec = Find(contract.FlagsOf(command, environment), arg);
                if (spec is { TakesValue: true } && !arg.Contains('=', StringComparison.Ordinal) && !IsAttachedShort(arg))
                {
                    i++;
                }
                continue;
            }
            var next = contract.Resolve(command, arg);
            if (next is null)
            {
                if (command == "")
                {
                    throw new UsageException($"unknown command \"{arg}\" for \"pulumi\"");
                }
                break;
            }
            command = next;
            commandWords.Add(i);
        }

        var parsed = new ParsedCommand(command);
        var flags = contract.FlagsOf(command, environment);
        for (var i = 0; i < args.Count; i++)
        {
            var arg = args[i];
            if (commandWords.Contains(i))
            {
                continue;
            }
            if (arg == "--")
            {
                parsed.Arguments.AddRange(args.Skip(i + 1));
                break;
            }
            if (arg.StartsWith("--", StringComparison.Ordinal))
            {
                var eq = arg.IndexOf('=', StringComparison.Ordinal);
                var name = eq >= 0 ? arg[2..eq] : arg[2..];
                var spec = flags.FirstOrDefault(f => f.Name == name) ?? throw new UsageException($"unknown flag: --{name}");
                string value;
                if (eq >= 0)
                {
                    value = arg[(eq + 1)..];
                }
                else if (!spec.TakesValue)
                {
                    value = spec.NoOptDefVal ?? "true";
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"flag needs an argument: --{name}");
                }
                parsed.Add(spec, value);
            }
            else if (arg.StartsWith('-') && arg.Length > 1)
            {
                var shorthand = arg[1].ToString();
                var spec = flags.FirstOrDefault(f => f.Short == shorthand)
                    ?? throw new UsageException($"unknown shorthand flag: '{shorthand}' in {arg}");
                string value;
                if (arg.Length > 2)
                {
                    value = arg[2] == '=' ? arg[3..] : arg[2..];
                }
                else if (!spec.TakesValue)
                {
                    value = spec.NoOptDefVal ?? "true";
                }
                else if (i + 1 < args.Count)
                {
                    value = args[++i];
                }
                else
                {
                    throw new UsageException($"flag needs an argument: '{shorthand}' in -{shorthand}");
                }
                parsed.Add(spec, value);
            }
            else
            {
                parsed.Arguments.Add(arg);
            }
        }
        return parsed;
    }

    private void Add(FlagSpec spec, string value)
    {
        if (spec.Type == "bool" && value is not ("true" or "false" or "1" or "0" or "t" or "f" or "TRUE" or "FALSE" or "True" or "False"))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--{spec.Name}\" flag: strconv.ParseBool: parsing \"{value}\": invalid syntax");
        }
        if (spec.Type is "int" or "int32" && !int.TryParse(value, System.Globalization.CultureInfo.InvariantCulture, out _))
        {
            throw new UsageException($"invalid argument \"{value}\" for \"--{spec.Name}\" flag: strconv.ParseInt: parsing \"{value}\": invalid syntax");
        }
        if (!_values.TryGetValue(spec.Name, out var values))
        {
            _values[spec.Name] = values = [];
        }
        values.Add(value);
    }

    private static FlagSpec? Find(IReadOnlyList<FlagSpec> flags, string arg)
    {
        if (arg.StartsWith("--", StringComparison.Ordinal))
        {
            var eq = arg.IndexOf('=', StringComparison.Ordinal);
            var name = eq >= 0 ? arg[2..eq] : arg[2..];
            return flags.FirstOrDefault(f => f.Name == name);
        }
        return arg.Length > 1 ? flags.FirstOrDefault(f => f.Short == arg[1].ToString()) : null;
    }

    private static bool IsAttachedShort(string arg) => !arg.StartsWith("--", StringComparison.Ordinal) && arg.Length > 2;
}

/// <summary>A command line the CLI rejects; printed as <c>error: &lt;message&gt;</c>, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
