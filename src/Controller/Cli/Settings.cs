using System.CommandLine;
using System.Globalization;

namespace Reconciler.Controller.Cli;

/// <summary>Reads a setting from its option, else from its <c>RECONCILER_*</c> environment variable, else a default.</summary>
public static class Settings
{
    /// <exception cref="FormatException">The environment variable's value does not parse; the message names it.</exception>
    public static T Get<T>(ParseResult parse, Option<T?> option, string variable, Func<string, T> parseValue, T fallback)
        where T : struct =>
        parse.GetValue(option) is { } given ? given : FromEnvironment(variable, parseValue, fallback);

    /// <summary>A text setting: the option, else the environment variable, else <paramref name="fallback"/>.</summary>
    public static string? GetText(ParseResult parse, Option<string?> option, string variable, string? fallback) =>
        parse.GetValue(option) ?? FromEnvironment(variable, s => s, fallback);

    /// <summary>A setting given as text and parsed: the option, else the environment variable, else <paramref name="fallback"/>.</summary>
    /// <exception cref="FormatException">The value does not parse; the message names the option or variable it came from.</exception>
    public static T Parse<T>(ParseResult parse, Option<string?> option, string variable, Func<string, T> parseValue, T fallback)
    {
        if (parse.GetValue(option) is not { } given)
        {
            return FromEnvironment(variable, parseValue, fallback);
        }
        try
        {
            return parseValue(given.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new FormatException($"{option.Name} '{given}' is not valid: {e.Message}", e);
        }
    }

    private static T FromEnvironment<T>(string variable, Func<string, T> parseValue, T fallback)
    {
        var text = Environment.GetEnvironmentVariable(variable);
        if (string.IsNullOrWhiteSpace(text))
        {
            return fallback;
        }
        try
        {
            return parseValue(text.Trim());
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw new FormatException($"{variable}='{text}' is not valid: {e.Message}", e);
        }
    }

    /// <summary>A duration as <c>90s</c>, <c>5m</c>, <c>1h</c>, <c>250ms</c> or <c>hh:mm:ss</c>.</summary>
    public static TimeSpan ParseDuration(string text)
    {
        text = text.Trim();
        (string Suffix, Func<double, TimeSpan> Make)[] units =
        [
            ("ms", TimeSpan.FromMilliseconds), ("s", TimeSpan.FromSeconds), ("m", TimeSpan.FromMinutes), ("h", TimeSpan.FromHours),
        ];
        foreach (var (suffix, make) in units)
        {
            if (text.EndsWith(suffix, StringComparison.OrdinalIgnoreCase)
                && double.TryParse(text[..^suffix.Length], NumberStyles.Float, CultureInfo.InvariantCulture, out var amount)
                && amount >= 0)
            {
                return make(amount);
            }
        }
        return TimeSpan.TryParse(text, CultureInfo.InvariantCulture, out var span) && span >= TimeSpan.Zero
            ? span
            : throw new FormatException($"'{text}' is not a duration such as 30s, 5m, 1h or 00:05:00");
    }

    /// <summary>A duration the way <see cref="ParseDuration"/> reads it back: <c>5m</c>, <c>90s</c>, <c>1h</c>, <c>250ms</c>.</summary>
    public static string FormatDuration(TimeSpan duration) =>
        duration.TotalHours >= 1 && duration.TotalHours % 1 == 0 ? $"{duration.TotalHours:0}h"
        : duration.TotalMinutes >= 1 && duration.TotalMinutes % 1 == 0 ? $"{duration.TotalMinutes:0}m"
        : duration.TotalSeconds >= 1 && duration.TotalSeconds % 1 == 0 ? $"{duration.TotalSeconds:0}s"
        : $"{duration.TotalMilliseconds:0}ms";

    public static bool ParseBool(string text) => text.ToLowerInvariant() switch
    {
        "1" or "true" or "yes" => true,
        "0" or "false" or "no" => false,
        _ => throw new FormatException($"'{text}' is not true or false"),
    };

    /// <summary>One of the enum's names, in any case; numbers are refused (they would name no level or mode).</summary>
    public static T ParseName<T>(string text)
        where T : struct, Enum =>
        Enum.GetNames<T>().FirstOrDefault(name => name.Equals(text, StringComparison.OrdinalIgnoreCase)) is { } found
            ? Enum.Parse<T>(found)
            : throw new FormatException($"'{text}' is not one of {string.Join(", ", Enum.GetNames<T>())}");

    public static int ParseInt(string text) => int.Parse(text, NumberStyles.Integer, CultureInfo.InvariantCulture);
}
