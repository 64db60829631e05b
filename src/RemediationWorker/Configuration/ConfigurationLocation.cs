namespace RemediationWorker.Configuration;

/// <summary>Where the configuration document is: a file path, or an S3 object (<c>s3://BUCKET/KEY</c>).</summary>
internal sealed record ConfigurationLocation
{
    private ConfigurationLocation(string text, string? filePath, string? bucket, string? key)
    {
        Text = text;
        FilePath = filePath;
        Bucket = bucket;
        Key = key;
    }

    /// <summary>As the operator wrote it (an absolute path for a file).</summary>
    public string Text { get; }

    public string? FilePath { get; }

    public string? Bucket { get; }

    public string? Key { get; }

    public bool IsS3 => Bucket is not null;

    /// <exception cref="ConfigurationUnavailableException">An <c>s3://</c> URI without a bucket or a key.</exception>
    public static ConfigurationLocation Parse(string text)
    {
        const string Scheme = "s3://";
        if (!text.StartsWith(Scheme, StringComparison.OrdinalIgnoreCase))
        {
            var path = Path.GetFullPath(text);
            return new ConfigurationLocation(path, path, null, null);
        }

        var rest = text[Scheme.Length..];
        var slash = rest.IndexOf('/', StringComparison.Ordinal);
        if (slash <= 0 || slash == rest.Length - 1)
        {
            throw new ConfigurationUnavailableException($"{text} is not an S3 object URI: write s3://BUCKET/KEY");
        }

        return new ConfigurationLocation(text, null, rest[..slash], rest[(slash + 1)..]);
    }

    public override string ToString() => Text;
}
