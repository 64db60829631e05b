namespace RemediationWorker.Guards;

/// <summary>The account and region an ARN names: <c>arn:partition:service:region:account-id:resource</c>
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). Global services leave the region empty
/// (IAM), some the account too (S3 buckets): an empty field names nothing to check. Read in place: every rendered
/// parameter of every matched event goes through here.</summary>
internal static class ArnText
{
    public static bool TryParse(ReadOnlySpan<char> text, out ReadOnlySpan<char> region, out ReadOnlySpan<char> account)
    {
        region = account = default;
        if (!text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        // partition, service, region, account: four fields, each ended by ':', before the resource.
        Span<Range> fields = stackalloc Range[4];
        var rest = text[4..];
        var start = 4;
        for (var i = 0; i < fields.Length; i++)
        {
            var colon = rest.IndexOf(':');
            if (colon < 0)
            {
                return false;
            }

            fields[i] = new Range(start, start + colon);
            start += colon + 1;
            rest = rest[(colon + 1)..];
        }

        if (text[fields[0]].IsEmpty || text[fields[1]].IsEmpty)
        {
            return false;
        }

        region = text[fields[2]];
        account = text[fields[3]];
        return true;
    }
}
