using System.Text.RegularExpressions;
using Reconciler.Model.Aws;

namespace Reconciler.Model.Validation.Rules;

/// <summary>
/// spec.tags: the limits of CodeBuild (the stricter of the two services that carry them), the reserved
/// <c>aws:</c> prefix, and the ownership tags the controller adds to every resource.
/// </summary>
internal static class TagRules
{
    private const string TagsPath = "$.spec.tags";
    private const string AllowedCharacters = "letters, digits, spaces and _ . : / = + - @";

    private static readonly Regex Characters = AwsPattern.Compile(AwsApiLimits.CodeBuild.TagPattern);

    public static void Check(RuleContext context, IReadOnlyDictionary<string, string>? tags)
    {
        if (tags is null)
        {
            return;
        }
        var allowed = AwsApiLimits.CodeBuild.MaxTags - OwnershipTags.Keys.Count;
        if (tags.Count > allowed)
        {
            context.Add(TagsPath,
                $"{tags.Count} tags plus the {OwnershipTags.Keys.Count} ownership tags the controller adds exceed AWS's limit of {AwsApiLimits.CodeBuild.MaxTags} per resource; set at most {allowed}");
        }
        foreach (var (key, value) in tags)
        {
            var path = JsonPath.Field(TagsPath, key);
            if (KeyProblem(key) is { } keyProblem)
            {
                context.Add(path, keyProblem);
            }
            if (ValueProblem(value ?? "") is { } valueProblem)
            {
                context.Add(path, valueProblem);
            }
        }
    }

    private static string? KeyProblem(string key)
    {
        if (key.Length == 0)
        {
            return $"a tag key may not be empty; keys have 1..{AwsApiLimits.CodeBuild.TagKeyMaxLength} characters";
        }
        if (key.StartsWith("aws:", StringComparison.OrdinalIgnoreCase))
        {
            return $"tag key {Quoted.Text(key)} uses the prefix \"aws:\", which AWS reserves for its own tags; choose another key";
        }
        if (key.StartsWith(OwnershipTags.Prefix, StringComparison.OrdinalIgnoreCase))
        {
            return $"tag key {Quoted.Text(key)} uses the prefix \"{OwnershipTags.Prefix}\", which the controller reserves for its ownership tags; choose another key";
        }
        if (key.Length > AwsApiLimits.CodeBuild.TagKeyMaxLength)
        {
            return $"tag key is {key.Length} characters long; AWS allows 1..{AwsApiLimits.CodeBuild.TagKeyMaxLength}";
        }
        return Characters.IsMatch(key) ? null : $"tag key {Quoted.Text(key)} contains characters AWS does not allow; allowed: {AllowedCharacters}";
    }

    private static string? ValueProblem(string value)
    {
        if (value.Length > AwsApiLimits.CodeBuild.TagValueMaxLength)
        {
            return $"tag value is {value.Length} characters long; AWS allows 0..{AwsApiLimits.CodeBuild.TagValueMaxLength}";
        }
        return Characters.IsMatch(value) ? null : $"tag value {Quoted.Text(value)} contains characters AWS does not allow; allowed: {AllowedCharacters}";
    }
}
