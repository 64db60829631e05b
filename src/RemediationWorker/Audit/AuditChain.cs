using System.Buffers;
using System.Globalization;
using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;

namespace RemediationWorker.Audit;

/// <summary>
/// The chain rule shared by the writer and the verifier (docs/audit-log.md). Every line is one JSON object
/// whose last member is <c>"hash"</c>; the hash is the lowercase hex SHA-256 of the line's UTF-8 bytes with that
/// member removed, that is of the bytes before <c>,"hash":"</c> followed by the closing <c>}</c>.
/// <c>prevHash</c> is the previous line's <c>hash</c>, or <see cref="GenesisHash"/> on the first line.
/// </summary>
internal static class AuditChain
{
    private static readonly SearchValues<byte> LowerHexBytes = SearchValues.Create("0123456789abcdef"u8);
    private static readonly SearchValues<char> LowerHexChars = SearchValues.Create("0123456789abcdef");

    public const int HashLength = 64;

    /// <summary>The wire form of <c>time</c>: ISO-8601 in UTC with milliseconds.</summary>
    public const string TimeFormat = "yyyy-MM-dd'T'HH:mm:ss.fff'Z'";

    /// <summary>The length of <see cref="TimeFormat"/>'s output for years 1–9999.</summary>
    public const int TimeLength = 24;

    /// <summary>Writes <paramref name="time"/> in <see cref="TimeFormat"/> as UTF-8: the round-trip form ("O",
    /// which .NET formats without parsing a pattern) cut after the milliseconds, as "fff" cuts (it does not round).</summary>
    /// <returns>The number of bytes written: <see cref="TimeLength"/>.</returns>
    public static int FormatTime(DateTimeOffset time, Span<byte> destination)
    {
        Span<byte> roundTrip = stackalloc byte[28]; // yyyy-MM-ddTHH:mm:ss.fffffffZ
        time.UtcDateTime.TryFormat(roundTrip, out _, "O", CultureInfo.InvariantCulture);
        roundTrip[..(TimeLength - 1)].CopyTo(destination);
        destination[TimeLength - 1] = (byte)'Z';
        return TimeLength;
    }

    /// <summary>The <c>prevHash</c> of the first record of a file: 64 zeros.</summary>
    public static ReadOnlySpan<byte> GenesisHash => "0000000000000000000000000000000000000000000000000000000000000000"u8;

    /// <summary>What precedes the hash value at the end of a line.</summary>
    public static ReadOnlySpan<byte> HashMemberPrefix => ",\"hash\":\""u8;

    /// <summary>What follows the hash value: the end of the string and of the object.</summary>
    public static ReadOnlySpan<byte> HashMemberSuffix => "\"}"u8;

    /// <summary>The length of <c>,"hash":"…"}</c>.</summary>
    public static int HashMemberLength => HashMemberPrefix.Length + HashLength + HashMemberSuffix.Length;

    /// <summary>Hashes <paramref name="body"/> (a line up to, not including, <c>,"hash":</c>) followed by
    /// <c>}</c>, and writes the lowercase hex digest to <paramref name="hexDestination"/>.</summary>
    public static void ComputeHash(IncrementalHash sha256, ReadOnlySpan<byte> body, Span<byte> hexDestination)
    {
        sha256.AppendData(body);
        sha256.AppendData("}"u8);
        FinishHash(sha256, hexDestination);
    }

    /// <summary>Hashes <paramref name="bodyAndBrace"/> (a line up to <c>,"hash":</c>, then <c>}</c>) and writes the
    /// lowercase hex digest to <paramref name="hexDestination"/>: the writer's form of
    /// <see cref="ComputeHash(IncrementalHash, ReadOnlySpan{byte}, Span{byte})"/>, two native calls per record
    /// instead of three (measured cheaper than a one-shot <c>SHA256.HashData</c>, which sets up a context each time).</summary>
    public static void ComputeHashOfBodyAndBrace(IncrementalHash sha256, ReadOnlySpan<byte> bodyAndBrace, Span<byte> hexDestination)
    {
        sha256.AppendData(bodyAndBrace);
        FinishHash(sha256, hexDestination);
    }

    private static void FinishHash(IncrementalHash sha256, Span<byte> hexDestination)
    {
        Span<byte> digest = stackalloc byte[32];
        sha256.GetHashAndReset(digest);
        Convert.TryToHexStringLower(digest, hexDestination, out _);
    }

    /// <summary>Splits a stored line (without its line end) into the hashed body and the stored hash value.
    /// Fails when the line does not end with <c>,"hash":"&lt;64 lowercase hex digits&gt;"}</c>.</summary>
    public static bool TrySplit(ReadOnlySpan<byte> line, out ReadOnlySpan<byte> body, out ReadOnlySpan<byte> storedHash)
    {
        body = default;
        storedHash = default;
        if (line.Length < HashMemberLength + 1 || !line.EndsWith(HashMemberSuffix))
        {
            return false;
        }

        var bodyLength = line.Length - HashMemberLength;
        if (!line[bodyLength..].StartsWith(HashMemberPrefix))
        {
            return false;
        }

        var hash = line.Slice(bodyLength + HashMemberPrefix.Length, HashLength);
        if (!IsLowerHex(hash))
        {
            return false;
        }

        body = line[..bodyLength];
        storedHash = hash;
        return true;
    }

    /// <summary>Reads one stored line: its JSON, the required members and the position and form of the hash
    /// member. Neither the hash itself nor the links to other lines are checked here.</summary>
    public static bool TryParse(ReadOnlySpan<byte> line, [NotNullWhen(true)] out StoredAuditRecord? record, [NotNullWhen(false)] out string? problem)
    {
        if (!StoredAuditRecord.TryRead(line, out record, out var invalid))
        {
            problem = $"not a valid audit record: {invalid}";
            return false;
        }

        if (!TrySplit(line, out _, out _))
        {
            problem = "not a valid audit record: the line does not end with the hash member (\"hash\" last, 64 lowercase hex digits)";
            record = null;
            return false;
        }

        if (record.PrevHash.Length != HashLength || record.PrevHash.AsSpan().ContainsAnyExcept(LowerHexChars))
        {
            problem = "not a valid audit record: prevHash is not 64 lowercase hex digits";
            record = null;
            return false;
        }

        problem = null;
        return true;
    }

    /// <summary>Whether the stored hash of an already split line matches its body.</summary>
    public static bool HashMatches(IncrementalHash sha256, ReadOnlySpan<byte> body, ReadOnlySpan<byte> storedHash, Span<byte> computedHex)
    {
        ComputeHash(sha256, body, computedHex);
        return computedHex.SequenceEqual(storedHash);
    }

    private static bool IsLowerHex(ReadOnlySpan<byte> value) =>
        !value.ContainsAnyExcept(LowerHexBytes);
}
