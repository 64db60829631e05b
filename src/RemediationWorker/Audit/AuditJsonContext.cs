using System.Text.Json.Serialization;

namespace RemediationWorker.Audit;

/// <summary>Reads stored audit lines without reflection. Strict where a forger could hide something: duplicate
/// members and nulls in required members are errors; unknown members are allowed (and covered by the hash).
/// Lines are written by <see cref="JsonLinesAuditSink"/> directly, because the hash rule depends on the exact
/// bytes and member order.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(StoredAuditRecord))]
[JsonSerializable(typeof(IReadOnlyDictionary<string, string>))]
internal sealed partial class AuditJsonContext : JsonSerializerContext;
