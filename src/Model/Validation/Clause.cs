namespace Reconciler.Model.Validation;

/// <summary>Turns a sentence from a library or a schema description into a clause that fits inside one of our messages.</summary>
internal static class Clause
{
    public static string From(string sentence)
    {
        var text = sentence.Trim().TrimEnd('.');
        // "The value..." becomes "the value...", but "IAM role..." stays as it is.
        return text.Length >= 2 && char.IsUpper(text[0]) && char.IsLower(text[1])
            ? char.ToLowerInvariant(text[0]) + text[1..]
            : text;
    }
}
