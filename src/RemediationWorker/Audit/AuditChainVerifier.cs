using System.Security.Cryptography;
using System.Text;

namespace RemediationWorker.Audit;

/// <summary>Checks audit files line by line: each line complete, a valid record, its hash matching its content,
/// its seq one more than the previous, its prevHash the previous line's hash (64 zeros on line 1). Reports the
/// first broken link.</summary>
internal static class AuditChainVerifier
{
    /// <summary>Verifies one chain read from <paramref name="stream"/>, starting at seq 1 from the genesis hash.</summary>
    public static Task<AuditVerifyResult> VerifyAsync(Stream stream, CancellationToken cancellationToken) =>
        VerifyAsync(stream, AuditChainStart.Genesis, null, cancellationToken);

    /// <summary>Verifies a chain (a segment) that starts as <paramref name="start"/> says; <paramref name="check"/>,
    /// when given, is asked about every intact record (its seq and hash) and may name a problem with it.</summary>
    public static async Task<AuditVerifyResult> VerifyAsync(
        Stream stream, AuditChainStart start, Func<long, string, string?>? check, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(start);
        var reader = new AuditLineReader(stream);
        using var sha256 = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var computed = new byte[AuditChain.HashLength];
        var previousHash = Encoding.ASCII.GetBytes(start.PrevHash);
        var previousSeq = start.FirstSeq - 1;
        long count = 0;

        while (true)
        {
            try
            {
                if (!await reader.ReadLineAsync(cancellationToken))
                {
                    break;
                }
            }
            catch (InvalidDataException ex)
            {
                return Broken(reader.LineNumber + 1, ex.Message);
            }

            var problem = Check(reader, sha256, computed, previousSeq, previousHash, start, out var seq);
            if (problem is null && check is not null)
            {
                problem = check(seq, Encoding.ASCII.GetString(computed));
            }

            if (problem is not null)
            {
                return Broken(reader.LineNumber, problem);
            }

            previousSeq = seq;
            computed.CopyTo(previousHash, 0);
            count++;
        }

        return new AuditVerifyResult(count, null, null, count == 0 ? null : Encoding.ASCII.GetString(previousHash))
        {
            LastSeq = previousSeq,
            LineCount = reader.LineNumber,
        };

        AuditVerifyResult Broken(long line, string problem) => new(
            count, line, problem, count == 0 ? null : Encoding.ASCII.GetString(previousHash))
        {
            LastSeq = previousSeq,
            LineCount = reader.LineNumber,
        };
    }

    private static string? Check(
        AuditLineReader reader, IncrementalHash sha256, byte[] computed, long previousSeq, byte[] previousHash, AuditChainStart start, out long seq)
    {
        seq = 0;
        var line = reader.Current.Span;
        if (!reader.IsTerminated)
        {
            return "incomplete line (no line end): a write was cut off or the file was truncated";
        }

        if (line.IsEmpty)
        {
            return "empty line";
        }

        if (!AuditChain.TryParse(line, out var record, out var invalid))
        {
            return invalid;
        }

        AuditChain.TrySplit(line, out var body, out var storedHash);
        if (!AuditChain.HashMatches(sha256, body, storedHash, computed))
        {
            return $"hash mismatch: the line was edited (stored {Abbreviate(storedHash)}, computed {Abbreviate(computed)})";
        }

        seq = record.Seq;
        var links = new List<string>(2);
        if (record.Seq != previousSeq + 1)
        {
            links.Add($"seq {record.Seq} where {previousSeq + 1} was expected");
        }

        if (!Encoding.ASCII.GetBytes(record.PrevHash).AsSpan().SequenceEqual(previousHash))
        {
            links.Add(reader.LineNumber == 1
                ? $"prevHash is not {start.Describe}"
                : $"prevHash {record.PrevHash[..12]} is not the hash of line {reader.LineNumber - 1} ({Abbreviate(previousHash)})");
        }

        return links.Count == 0
            ? null
            : string.Join("; ", links) + ": a line was removed, inserted or moved here";
    }

    private static string Abbreviate(ReadOnlySpan<byte> hash) => Encoding.ASCII.GetString(hash[..12]);
}
