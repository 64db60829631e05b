using System.Globalization;
using System.Text.RegularExpressions;

namespace RemediationWorker.Audit;

/// <summary>How segments and digests are named. The open segment is the file at <c>Audit:Path</c>
/// (<c>&lt;name&gt;.jsonl</c>); a closed one is renamed <c>&lt;name&gt;.&lt;firstSeq:D12&gt;.jsonl</c> beside it, so that
/// names sort in the chain's order; its digests are <c>&lt;name&gt;.&lt;lastSeq:D12&gt;.digest.json</c> in the
/// digest folder. <c>&lt;name&gt;</c> names the chain: the files of one chain share it.</summary>
internal static partial class AuditSegmentNames
{
    public const string SegmentExtension = ".jsonl";
    public const string DigestExtension = ".digest.json";

    /// <summary>The chain's name: the file name without <c>.jsonl</c> and without a segment's sequence number.</summary>
    public static string ChainName(string path)
    {
        var file = System.IO.Path.GetFileName(path);
        var match = SegmentPattern().Match(file);
        if (match.Success)
        {
            return match.Groups["name"].Value;
        }

        return file.EndsWith(SegmentExtension, StringComparison.Ordinal) ? file[..^SegmentExtension.Length] : file;
    }

    /// <summary>The first seq a closed segment's file name states; null for another name (the open segment).</summary>
    public static long? SegmentFirstSeq(string path)
    {
        var match = SegmentPattern().Match(System.IO.Path.GetFileName(path));
        return match.Success ? long.Parse(match.Groups["seq"].ValueSpan, CultureInfo.InvariantCulture) : null;
    }

    /// <summary><c>&lt;name&gt;.&lt;firstSeq:D12&gt;.jsonl</c>.</summary>
    public static string Segment(string chainName, long firstSeq) =>
        string.Create(CultureInfo.InvariantCulture, $"{chainName}.{firstSeq:D12}{SegmentExtension}");

    /// <summary><c>&lt;name&gt;.&lt;lastSeq:D12&gt;.digest.json</c>.</summary>
    public static string Digest(string chainName, long lastSeq) =>
        string.Create(CultureInfo.InvariantCulture, $"{chainName}.{lastSeq:D12}{DigestExtension}");

    /// <summary>The chain name and last sequence number a digest's file name states.</summary>
    public static bool TryParseDigest(string path, out string chainName, out long lastSeq)
    {
        var match = DigestPattern().Match(System.IO.Path.GetFileName(path));
        chainName = match.Success ? match.Groups["name"].Value : string.Empty;
        lastSeq = match.Success ? long.Parse(match.Groups["seq"].ValueSpan, CultureInfo.InvariantCulture) : 0;
        return match.Success;
    }

    /// <summary>The folder of digests beside an audit file when <c>Audit:Digests:Path</c> is not set.</summary>
    public static string DefaultDigestFolder(string auditPath) =>
        System.IO.Path.Combine(System.IO.Path.GetDirectoryName(System.IO.Path.GetFullPath(auditPath))!, "digests");

    [GeneratedRegex(@"^(?<name>.+)\.(?<seq>\d{12})\.jsonl$", RegexOptions.CultureInvariant)]
    private static partial Regex SegmentPattern();

    [GeneratedRegex(@"^(?<name>.+)\.(?<seq>\d{12})\.digest\.json$", RegexOptions.CultureInvariant)]
    private static partial Regex DigestPattern();
}
