using System.Buffers;
using System.Runtime.InteropServices;
using System.Security.Cryptography;
using System.Text.Encodings.Web;
using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>Formats records as chained lines (docs/audit-log.md, "One line" and "The hash rule"): members in the
/// documented order, then <c>prevHash</c> and the line's own <c>hash</c>. Holds the chain's head; not thread-safe
/// (the sink calls it under its gate).</summary>
internal sealed class AuditLineFormatter : IDisposable
{
    private static readonly JsonEncodedText SeqName = JsonEncodedText.Encode("seq");
    private static readonly JsonEncodedText TimeName = JsonEncodedText.Encode("time");
    private static readonly JsonEncodedText WorkerIdName = JsonEncodedText.Encode("workerId");
    private static readonly JsonEncodedText DecisionName = JsonEncodedText.Encode("decision");
    private static readonly JsonEncodedText EventIdName = JsonEncodedText.Encode("eventId");
    private static readonly JsonEncodedText SourceName = JsonEncodedText.Encode("source");
    private static readonly JsonEncodedText DetailTypeName = JsonEncodedText.Encode("detailType");
    private static readonly JsonEncodedText AccountName = JsonEncodedText.Encode("account");
    private static readonly JsonEncodedText RegionName = JsonEncodedText.Encode("region");
    private static readonly JsonEncodedText InputName = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText TruncatedName = JsonEncodedText.Encode("truncated");
    private static readonly JsonEncodedText ResourceName = JsonEncodedText.Encode("resource");
    private static readonly JsonEncodedText PlaybookName = JsonEncodedText.Encode("playbook");
    private static readonly JsonEncodedText ConfigHashName = JsonEncodedText.Encode("configHash");
    private static readonly JsonEncodedText ReasonName = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText GuardName = JsonEncodedText.Encode("guard");
    private static readonly JsonEncodedText ModeName = JsonEncodedText.Encode("mode");
    private static readonly JsonEncodedText DocumentNameName = JsonEncodedText.Encode("documentName");
    private static readonly JsonEncodedText DocumentVersionName = JsonEncodedText.Encode("documentVersion");
    private static readonly JsonEncodedText ParametersName = JsonEncodedText.Encode("parameters");
    private static readonly JsonEncodedText ExecutionIdName = JsonEncodedText.Encode("executionId");
    private static readonly JsonEncodedText StatusName = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText DurationMsName = JsonEncodedText.Encode("durationMs");
    private static readonly JsonEncodedText ClientTokenName = JsonEncodedText.Encode("clientToken");
    private static readonly JsonEncodedText CausedByName = JsonEncodedText.Encode("causedBy");
    private static readonly JsonEncodedText RetryAtName = JsonEncodedText.Encode("retryAt");
    private static readonly JsonEncodedText PrevHashName = JsonEncodedText.Encode("prevHash");

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
        json.WriteNumber(SeqName, seq);
        Span<byte> time = stackalloc byte[AuditChain.TimeLength];
        json.WriteString(TimeName, time[..AuditChain.FormatTime(record.Time, time)]);
        json.WriteString(WorkerIdName, record.WorkerId);
        json.WriteString(DecisionName, record.Decision.ToWireName());
        WriteOptional(EventIdName, record.EventId);
        WriteOptional(SourceName, record.Source);
        WriteOptional(DetailTypeName, record.DetailType);
        WriteOptional(AccountName, record.Account);
        WriteOptional(RegionName, record.Region);
        WriteOptional(InputName, record.Input);
        WriteOptional(ResourceName, record.Resource);
        WriteOptional(PlaybookName, record.Playbook);
        json.WriteString(ConfigHashName, record.ConfigHash);
        WriteOptional(ReasonName, record.Reason);
        WriteOptional(GuardName, record.Guard);
        WriteOptional(ModeName, record.Mode);
        WriteOptional(DocumentNameName, record.DocumentName);
        WriteOptional(DocumentVersionName, record.DocumentVersion);
        if (record.Parameters is { } parameters)
        {
            json.WriteStartObject(ParametersName);
            if (parameters is Dictionary<string, string> dictionary)
            {
                foreach (var (name, value) in dictionary) // the struct enumerator: no allocation per record
                {
                    json.WriteString(name, value);
                }
            }
            else
            {
                foreach (var (name, value) in parameters)
                {
                    json.WriteString(name, value);
                }
            }

            json.WriteEndObject();
        }

        WriteOptional(ExecutionIdName, record.ExecutionId);
        WriteOptional(StatusName, record.Status);
        if (record.Duration is { } duration)
        {
            json.WriteNumber(DurationMsName, (long)duration.TotalMilliseconds);
        }

        WriteOptional(ClientTokenName, record.ClientToken);
        WriteOptional(CausedByName, record.CausedBy);
        if (record.RetryAt is { } retryAt)
        {
            json.WriteString(RetryAtName, time[..AuditChain.FormatTime(retryAt, time)]);
        }

        if (record.Truncated is { } truncated)
        {
            json.WriteStartObject(TruncatedName);
            foreach (var (name, field) in truncated)
            {
                json.WriteStartObject(name);
                json.WriteNumber("length"u8, field.Length);
                json.WriteString("sha256"u8, field.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        json.WriteString(PrevHashName, _prevHash);
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

    private void WriteOptional(JsonEncodedText name, string? value)
    {
        if (value is not null)
        {
            _json.WriteString(name, value);
        }
    }
}
