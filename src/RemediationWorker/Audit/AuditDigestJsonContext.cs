using System.Text.Json.Serialization;

namespace RemediationWorker.Audit;

/// <summary>Reads digests without reflection; duplicate members are errors.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.CamelCase,
    AllowDuplicateProperties = false,
    RespectNullableAnnotations = true)]
[JsonSerializable(typeof(AuditDigest))]
internal sealed partial class AuditDigestJsonContext : JsonSerializerContext;
