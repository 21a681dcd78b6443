using System.Text.Json.Serialization;

namespace Reconciler.Controller.Cli;

/// <summary>One document's outcome in <c>reconciler validate --output json</c>.</summary>
public sealed record ValidationReport(string Source, bool Valid, IReadOnlyList<ValidationReportError> Errors);

/// <summary>One error of a document in <c>reconciler validate --output json</c>.</summary>
public sealed record ValidationReportError(string Path, string Message);

/// <summary>Source-generated serialization for the <c>validate</c> JSON output.</summary>
[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase, WriteIndented = true)]
[JsonSerializable(typeof(List<ValidationReport>))]
public sealed partial class ValidationReportJsonContext : JsonSerializerContext;
