namespace RemediationWorker.Guards;

/// <summary>The account and region an ARN names: <c>arn:partition:service:region:account-id:resource</c>
/// (https://docs.aws.amazon.com/IAM/latest/UserGuide/reference-arns.html). Global services leave the region empty
/// (IAM), some the account too (S3 buckets): an empty field names nothing to check.</summary>
internal static class ArnText
{
    public static bool TryParse(string text, out string region, out string account)
    {
        region = account = string.Empty;
        if (!text.StartsWith("arn:", StringComparison.Ordinal))
        {
            return false;
        }

        var parts = text.Split(':', 6);
        if (parts.Length < 6 || parts[1].Length == 0 || parts[2].Length == 0)
        {
            return false;
        }

        (region, account) = (parts[3], parts[4]);
        return true;
    }
}
