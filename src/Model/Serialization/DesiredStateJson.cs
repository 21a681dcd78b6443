using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Reconciler.Model.Rendering;

namespace Reconciler.Model.Serialization;

/// <summary>The human-readable JSON of a desired state, as <c>reconciler render</c> prints it and the golden files hold it.</summary>
/// <remarks>
/// Indented with two spaces, <c>\n</c> line ends on every platform, members in declaration order,
/// nulls omitted, and only the escapes JSON requires (a buildspec's quotes and <c>+</c> stay readable).
/// </remarks>
public static class DesiredStateJson
{
    private static readonly JsonTypeInfo<DesiredState> TypeInfo = CreateTypeInfo();

    /// <summary>The JSON text, ending with a newline.</summary>
    public static string Write(DesiredState state) => JsonSerializer.Serialize(state, TypeInfo) + "\n";

    private static JsonTypeInfo<DesiredState> CreateTypeInfo()
    {
        var options = new JsonSerializerOptions(ModelJsonContext.Default.Options)
        {
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            NewLine = "\n",
            IndentSize = 2,
        };
        return (JsonTypeInfo<DesiredState>)options.GetTypeInfo(typeof(DesiredState));
    }
}
