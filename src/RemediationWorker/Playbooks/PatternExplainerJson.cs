using System.Text.Json;
using System.Text.Json.Serialization;

namespace RemediationWorker.Playbooks;

/// <summary>Writes the event's values in <see cref="PatternExplainer"/>'s lines without reflection.</summary>
[JsonSerializable(typeof(JsonElement))]
internal sealed partial class PatternExplainerJson : JsonSerializerContext;
