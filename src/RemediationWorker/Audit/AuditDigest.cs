using System.Buffers;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>What one digest states about one segment (docs/audit-log.md, "Digests"): the worker, the segment, its
/// first and last sequence numbers, the hash of its last record (the head), when, and the hash of the previous
/// digest of the chain, so that digests form a chain of their own. <see cref="KeyId"/> and
/// <see cref="Signature"/> are set when the digest is signed (ECDSA P-256 over SHA-256, DER, by KMS).</summary>
internal sealed record AuditDigest
{
    public const int CurrentVersion = 1;

    /// <summary>The <c>previousDigestHash</c> of a chain's first digest: 64 zeros.</summary>
    public static readonly string GenesisHash = new('0', AuditChain.HashLength);

    private static readonly byte[] SignatureMember = ",\"signature\":\""u8.ToArray();

    public int Version { get; init; } = CurrentVersion;
    public required string WorkerId { get; init; }
    public required string Segment { get; init; }
    public required long FirstSeq { get; init; }
    public required long LastSeq { get; init; }
    public required string HeadHash { get; init; }
    public required DateTimeOffset Time { get; init; }
    public required string PreviousDigestHash { get; init; }
    public string? KeyId { get; init; }
    public string? Signature { get; init; }

    /// <summary>The signed bytes: the digest's JSON without <c>signature</c> (the member is last when present),
    /// closed by <c>}</c>.</summary>
    public byte[] SignedBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(512);
        WriteBody(buffer);
        buffer.Write("}"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The file's bytes: one JSON object, members in a fixed order, ended by a line end.</summary>
    public byte[] ToBytes()
    {
        var buffer = new ArrayBufferWriter<byte>(640);
        WriteBody(buffer);
        if (Signature is not null)
        {
            buffer.Write(SignatureMember);
            buffer.Write(Encoding.ASCII.GetBytes(Signature));
            buffer.Write("\""u8);
        }

        buffer.Write("}\n"u8);
        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The lowercase hex SHA-256 of a digest file's bytes: the next digest's <c>previousDigestHash</c>.</summary>
    public static string HashOf(ReadOnlySpan<byte> fileBytes) => Convert.ToHexStringLower(SHA256.HashData(fileBytes));

    /// <summary>Reads a digest file's bytes; false with the problem when they are not a digest this version wrote.</summary>
    public static bool TryParse(ReadOnlySpan<byte> fileBytes, out AuditDigest? digest, out string? problem)
    {
        digest = null;
        try
        {
            digest = JsonSerializer.Deserialize(fileBytes, AuditDigestJsonContext.Default.AuditDigest);
        }
        catch (JsonException ex)
        {
            problem = $"not a digest: {ex.Message}";
            return false;
        }

        if (digest is null || digest.Version != CurrentVersion)
        {
            problem = $"not a digest of version {CurrentVersion}";
            digest = null;
            return false;
        }

        // The bytes must be exactly what this digest writes, so that what was signed and hashed is what was read.
        if (!digest.ToBytes().AsSpan().SequenceEqual(fileBytes))
        {
            problem = "not in the digest's canonical form (members reordered, added or reformatted)";
            digest = null;
            return false;
        }

        problem = null;
        return true;
    }

    private void WriteBody(ArrayBufferWriter<byte> buffer)
    {
        using var json = new Utf8JsonWriter(buffer);
        json.WriteStartObject();
        json.WriteNumber("version"u8, Version);
        json.WriteString("workerId"u8, WorkerId);
        json.WriteString("segment"u8, Segment);
        json.WriteNumber("firstSeq"u8, FirstSeq);
        json.WriteNumber("lastSeq"u8, LastSeq);
        json.WriteString("headHash"u8, HeadHash);
        json.WriteString("time"u8, Time.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture));
        json.WriteString("previousDigestHash"u8, PreviousDigestHash);
        if (KeyId is not null)
        {
            json.WriteString("keyId"u8, KeyId);
        }

        json.Flush();
        // The object stays open: the signature member (when any) and the closing brace follow.
    }
}

