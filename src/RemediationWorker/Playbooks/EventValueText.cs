using System.Text;
using System.Text.Json;

namespace RemediationWorker.Playbooks;

/// <summary>One value of an event, given as its JSON text, written back the way <see cref="JsonSerializer"/> writes
/// a <see cref="JsonElement"/> with the default options (strings re-escaped by the default encoder, numbers as
/// written, objects without whitespace): how <see cref="PatternExplainer"/> shows the values it found.</summary>
internal static class EventValueText
{
    public static string Write(ReadOnlySpan<byte> json)
    {
        switch (json)
        {
            case [(byte)'"', .. var inner, (byte)'"'] when !inner.Contains((byte)'\\'):
                return $"\"{JsonEncodedText.Encode(inner)}\"";
            case [(byte)'{', ..] or [(byte)'"', ..]:
                using (var document = JsonDocument.Parse(json.ToArray()))
                {
                    return JsonSerializer.Serialize(document.RootElement, PatternExplainerJson.Default.JsonElement);
                }

            default:
                return Encoding.UTF8.GetString(json); // a number, true, false or null: as written
        }
    }
}
