using System.CommandLine;
using System.Globalization;
using System.Net;
using Reconciler.Controller.Web;

namespace Reconciler.Controller.Cli;

/// <summary>The status page's options (<c>--status-port</c>, <c>--status-bind</c>, <c>--trace-url-template</c>), shared by <c>run</c> and <c>demo</c>.</summary>
public sealed class StatusOptions
{
    private StatusOptions(Option<string?> port, Option<string?> bind, Option<string?> traceUrl)
    {
        Port = port;
        Bind = bind;
        TraceUrl = traceUrl;
    }

    public Option<string?> Port { get; }

    public Option<string?> Bind { get; }

    public Option<string?> TraceUrl { get; }

    public static StatusOptions Create() => new(
        new Option<string?>("--status-port") { Description = $"Port of the status page and its JSON API (default {StatusPageOptions.DefaultPort}; 0 picks a free one; off: no page). Env: {RunCommand.StatusPortVariable}." },
        new Option<string?>("--status-bind") { Description = $"Address the status page binds (default 127.0.0.1: only this machine). Env: {RunCommand.StatusBindVariable}." },
        new Option<string?>("--trace-url-template") { Description = $"Link from a spec to its trace, {StatusApi.TraceIdPlaceholder} replaced, e.g. http://localhost:16686/trace/{StatusApi.TraceIdPlaceholder}. Env: {RunCommand.TraceUrlVariable}." });

    /// <summary>The page's options, or null for <c>off</c>.</summary>
    /// <exception cref="FormatException">A value is malformed; the message names the option and its variable.</exception>
    public StatusPageOptions? Resolve(ParseResult parse)
    {
        var port = Settings.Parse<int?>(parse, Port, RunCommand.StatusPortVariable, ParsePort, StatusPageOptions.DefaultPort);
        if (port is null)
        {
            return null;
        }
        var bind = Settings.Parse(parse, Bind, RunCommand.StatusBindVariable, ParseAddress, "127.0.0.1");
        var template = Settings.Parse<string?>(parse, TraceUrl, RunCommand.TraceUrlVariable, ParseTemplate, null);
        return new StatusPageOptions(port.Value, bind, template);
    }

    private static int? ParsePort(string text) => text.Equals("off", StringComparison.OrdinalIgnoreCase)
        ? null
        : int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var port) && port <= IPEndPoint.MaxPort
            ? port
            : throw new FormatException("use a port (0-65535) or off");

    private static string ParseAddress(string text) => IPAddress.TryParse(text, out _)
        ? text
        : throw new FormatException("use an IP address such as 127.0.0.1");

    private static string ParseTemplate(string text) => text.Contains(StatusApi.TraceIdPlaceholder, StringComparison.Ordinal)
        && Uri.TryCreate(text.Replace(StatusApi.TraceIdPlaceholder, "0", StringComparison.Ordinal), UriKind.Absolute, out _)
            ? text
            : throw new FormatException($"use an absolute URL containing {StatusApi.TraceIdPlaceholder}");
}
