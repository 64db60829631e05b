using System.Text.Json.Serialization;

namespace RemediationWorker.Audit;

/// <summary>Writes a record's parameters as JSON for its log entry (<see cref="AuditTrace"/>), without reflection. The
/// audit line itself is written and read by <see cref="AuditFields"/>.</summary>
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
