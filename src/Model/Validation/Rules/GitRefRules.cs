namespace Reconciler.Model.Validation.Rules;

/// <summary>Branch and tag names git would refuse, after <c>git check-ref-format</c> (one-level names allowed).</summary>
internal static class GitRefRules
{
    public static void Check(RuleContext context, string path, string? name, string kind)
    {
        if (Problem(name, kind) is { } problem)
        {
            var example = kind == "tag" ? "\"production\" or \"v1.2.0\"" : "\"main\" or \"release/1.2\"";
            context.Add(path, $"{Quoted.Text(name)} is not a valid git {kind} name: {problem}; use a name git accepts, such as {example}");
        }
    }

    /// <summary>Why git would refuse <paramref name="name"/> as a branch or tag name, or null when it would not.</summary>
    public static string? Problem(string? name, string kind)
    {
        if (string.IsNullOrEmpty(name))
        {
            return "it is empty";
        }
        if (name == "@")
        {
            return "\"@\" alone is reserved";
        }
        if (kind == "branch" && name == "HEAD")
        {
            return "HEAD is reserved";
        }
        if (name.StartsWith("refs/", StringComparison.Ordinal))
        {
            return $"it is a full ref; give the short {kind} name without the refs/... prefix";
        }
        if (name[0] == '-')
        {
            return "it starts with \"-\"";
        }
        foreach (var c in name)
        {
            if (c < 0x20 || c == 0x7F)
            {
                return "it contains a control character";
            }
            if (c is ' ' or '~' or '^' or ':' or '?' or '*' or '[' or '\\')
            {
                return c == ' ' ? "it contains a space" : $"it contains \"{c}\"";
            }
        }
        if (name.Contains("..", StringComparison.Ordinal))
        {
            return "it contains \"..\"";
        }
        if (name.Contains("@{", StringComparison.Ordinal))
        {
            return "it contains \"@{\"";
        }
        if (name[0] == '/' || name[^1] == '/')
        {
            return "it starts or ends with \"/\"";
        }
        if (name.Contains("//", StringComparison.Ordinal))
        {
            return "it contains \"//\"";
        }
        if (name[^1] == '.')
        {
            return "it ends with \".\"";
        }
        foreach (var component in name.Split('/'))
        {
            if (component.StartsWith('.'))
            {
                return $"the component {Quoted.Text(component)} starts with \".\"";
            }
            if (component.EndsWith(".lock", StringComparison.Ordinal))
            {
                return $"the component {Quoted.Text(component)} ends with \".lock\"";
            }
        }
        return null;
    }
}
