using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>Formats records as chained lines (docs/audit-log.md, "One line" and "The hash rule"): the members of
/// <see cref="AuditFields"/> in their order, the line's own <c>hash</c> last. Holds the chain's head; not thread-safe
/// (the sink calls it under its gate).</summary>
internal sealed class AuditLineFormatter : IDisposable
{
    private readonly ArrayBufferWriter<byte> _line = new(1024);
    private readonly Utf8JsonWriter _json;
    private readonly IncrementalHash _sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
    private readonly byte[] _prevHash = new byte[AuditChain.HashLength];

    public AuditLineFormatter()
    {
        _json = new Utf8JsonWriter(_line, new JsonWriterOptions
        {
            // Readable non-ASCII names; quotes, backslashes and control characters are still escaped.
            Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
            SkipValidation = true,
        });
        AuditChain.GenesisHash.CopyTo(_prevHash);
    }

    /// <summary>The hash of the last line formatted and committed (lowercase hex, ASCII): the next line's
    /// <c>prevHash</c>.</summary>
    public ReadOnlySpan<byte> Head => _prevHash;

    /// <summary>Continues the chain after a line whose hash is <paramref name="hash"/>.</summary>
    public void ContinueAfter(ReadOnlySpan<byte> hash) => hash.CopyTo(_prevHash);

    /// <summary>Makes the line returned by the last <see cref="Format"/> the chain's head.</summary>
    public void Commit()
    {
        var line = _line.WrittenSpan;
        line.Slice(line.Length - 1 - AuditChain.HashMemberSuffix.Length - AuditChain.HashLength, AuditChain.HashLength)
            .CopyTo(_prevHash);
    }

    /// <summary>Checks a stored line's hash against its content (for the sink's open).</summary>
    public bool HashMatches(ReadOnlySpan<byte> body, ReadOnlySpan<byte> storedHash)
    {
        Span<byte> computed = stackalloc byte[AuditChain.HashLength];
        return AuditChain.HashMatches(_sha256, body, storedHash, computed);
    }

    public void Dispose()
    {
        _json.Dispose();
        _sha256.Dispose();
    }

    /// <summary>Formats <paramref name="record"/> as line <paramref name="seq"/> chained to <see cref="Head"/>, line end
    /// included; throws before anything changes when the record cannot be written. The span is valid until the next
    /// call; <see cref="Commit"/> makes it the head.</summary>
    public ReadOnlySpan<byte> Format(AuditRecord record, long seq)
    {
        _line.ResetWrittenCount();
        _json.Reset(_line);
        var json = _json;
        json.WriteStartObject();
        foreach (var field in AuditFields.InOrder)
        {
            field.Write(json, record, seq, _prevHash);
        }

        json.Flush();

        // The object is left open: the hash covers the body closed by "}", then the hash member closes it. The "}"
        // goes after the body first, so that the hash is one call over one span, and is then overwritten.
        var bodyLength = _line.WrittenCount;
        var tail = _line.GetSpan(AuditChain.HashMemberLength + 1);
        tail[0] = (byte)'}';
        MemoryMarshal.TryGetArray(_line.WrittenMemory, out var written); // the same array GetSpan handed out
        Span<byte> hex = stackalloc byte[AuditChain.HashLength];
        AuditChain.ComputeHashOfBodyAndBrace(_sha256, written.Array.AsSpan(0, bodyLength + 1), hex);
        AuditChain.HashMemberPrefix.CopyTo(tail);
        hex.CopyTo(tail[AuditChain.HashMemberPrefix.Length..]);
        AuditChain.HashMemberSuffix.CopyTo(tail[(AuditChain.HashMemberPrefix.Length + AuditChain.HashLength)..]);
        tail[AuditChain.HashMemberLength] = (byte)'\n';
        _line.Advance(AuditChain.HashMemberLength + 1);
        return _line.WrittenSpan;
    }
}
