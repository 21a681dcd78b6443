using System.Text.Json.Nodes;

namespace Reconciler.PulumiStandIn.Engine;

/// <summary>
/// Secret property values as the engine encodes them (<c>pulumi-cli/events.md</c>): an object with the secret signature
/// key; in the checkpoint it holds the ciphertext, in an event always <c>"[secret]"</c>.
/// </summary>
internal static class SecretOutputs
{
    public const string SignatureKey = "4dabf18193072939515e22adb298388d";
    public const string SecretSignature = "1b47061264138c4ac30d75fd1eb44270";

    /// <summary>A secret value as the checkpoint keeps it (the stand-in's "encryption" is its config encoding).</summary>
    public static JsonObject Secret(string plaintext) => new()
    {
        [SignatureKey] = SecretSignature,
        ["ciphertext"] = (string?)ProjectFolder.Secure(plaintext)["secure"],
    };

    /// <summary>The outputs for an event: every secret's ciphertext replaced by <c>[secret]</c>.</summary>
    public static JsonObject Blind(JsonObject outputs) => new(outputs.Select(p => KeyValuePair.Create(p.Key, IsSecret(p.Value)
        ? new JsonObject { [SignatureKey] = SecretSignature, ["ciphertext"] = "[secret]" }
        : p.Value?.DeepClone())));

    /// <summary>
    /// Secrets the cloud never returns again (a webhook's <c>secret</c>) stay in the state when an update or a refresh
    /// reads the resource without them.
    /// </summary>
    public static JsonObject KeepWriteOnly(JsonObject old, JsonObject current)
    {
        foreach (var (key, value) in old)
        {
            if (IsSecret(value) && current[key] is null)
            {
                current[key] = value!.DeepClone();
            }
        }
        return current;
    }

    private static bool IsSecret(JsonNode? value) => value is JsonObject o && (string?)o[SignatureKey] == SecretSignature;
}
