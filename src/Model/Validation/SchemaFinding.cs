namespace Reconciler.Model.Validation;

/// <summary>What kind of structural problem the schema found; decides how the rest of validation treats that spot.</summary>
internal enum SchemaFindingKind
{
    /// <summary>A field the schema does not know (typo safety).</summary>
    UnknownField,

    /// <summary>A required field that is absent; defaults would hide it, so rules below it stay quiet.</summary>
    MissingField,

    /// <summary>A value of the wrong JSON type or format; it is left out when the typed document is read.</summary>
    WrongType,

    /// <summary>A value of the right type that breaks a constraint; semantic rules usually say it better.</summary>
    BadValue,
}

/// <summary>One structural problem found by the JSON Schema, already in our path style.</summary>
internal sealed record SchemaFinding(SchemaFindingKind Kind, string Path, IReadOnlyList<string> Segments, string Message);
