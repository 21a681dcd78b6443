namespace Reconciler.Model.Validation;

/// <summary>Builds the JSON paths errors point at, in one style: <c>$.spec.stages[1].on</c>, <c>$.spec.tags['cost-center']</c>.</summary>
public static class JsonPath
{
    public const string Root = "$";

    public static string Field(string parent, string name) =>
        IsPlainName(name) ? $"{parent}.{name}" : $"{parent}['{Quoted.Escape(name, '\'')}']";

    public static string Item(string parent, int index) => $"{parent}[{index}]";

    /// <summary>True when <paramref name="path"/> is <paramref name="ancestor"/> or lies below it.</summary>
    public static bool IsAtOrBelow(string path, string ancestor) =>
        path.Length == ancestor.Length
            ? string.Equals(path, ancestor, StringComparison.Ordinal)
            : path.Length > ancestor.Length
              && path.StartsWith(ancestor, StringComparison.Ordinal)
              && (path[ancestor.Length] == '.' || path[ancestor.Length] == '[');

    private static bool IsPlainName(string name)
    {
        if (name.Length == 0 || char.IsAsciiDigit(name[0]))
        {
            return false;
        }
        foreach (var c in name)
        {
            if (!char.IsAsciiLetterOrDigit(c) && c != '_')
            {
                return false;
            }
        }
        return true;
    }
}
