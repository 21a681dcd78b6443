using Reconciler.Model.Documents;

namespace Reconciler.Model.Validation.Rules;

/// <summary>spec.source: the provider, the repository URL and the connection.</summary>
internal static class SourceRules
{
    /// <summary>CodeBuild source types that support webhooks.</summary>
    public static readonly IReadOnlyList<string> Types = ["GITHUB", "GITHUB_ENTERPRISE", "BITBUCKET", "GITLAB", "GITLAB_SELF_MANAGED"];

    private const string SourcePath = "$.spec.source";

    public static void Check(RuleContext context, SourceSpec? source)
    {
        if (source is null)
        {
            context.Add(SourcePath, "required: the repository of the Pulumi program (type, location, connectionArn)");
            return;
        }
        if (!Types.Contains(source.Type ?? "", StringComparer.Ordinal))
        {
            context.Add(JsonPath.Field(SourcePath, "type"), $"unknown source type {Quoted.Text(source.Type)}; allowed: {Quoted.List(Types)}");
        }
        CheckLocation(context, JsonPath.Field(SourcePath, "location"), source.Location);
        if (!string.IsNullOrEmpty(source.ConnectionArn))
        {
            ArnRules.CheckConnection(context, JsonPath.Field(SourcePath, "connectionArn"), source.ConnectionArn);
        }
    }

    private static void CheckLocation(RuleContext context, string path, string? location)
    {
        const string example = "such as \"https://github.com/acme/website.git\"";
        if (string.IsNullOrEmpty(location))
        {
            context.Add(path, $"required: the https URL of the git repository, {example}");
            return;
        }
        if (!Uri.TryCreate(location, UriKind.Absolute, out var uri) || uri.Scheme != Uri.UriSchemeHttps)
        {
            context.Add(path, $"{Quoted.Text(location)} is not an https git URL; use the repository's https clone URL, {example}");
            return;
        }
        // Never echo a URL with user info: that part is usually a token.
        if (uri.UserInfo.Length > 0)
        {
            context.Add(path, $"the URL carries credentials; remove them and use the https URL alone, {example} (CodeBuild authenticates through the connection)");
        }
        else if (location.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)) || uri.Host.Length == 0
                 || uri.AbsolutePath.Trim('/').Length == 0 || uri.Query.Length > 0 || uri.Fragment.Length > 0)
        {
            context.Add(path, $"{Quoted.Text(location)} is not a git repository URL; give host and repository path without spaces, query or fragment, {example}");
        }
    }
}
