namespace RemediationWorker.Audit;

/// <summary>The names people use for a resource recorded in the audit: the value as stored (an ARN, a project name),
/// and for a CloudFormation stack ARN (<c>arn:aws:cloudformation:R:A:stack/NAME/ID</c>) its stack name, for a
/// CodeBuild build or project ARN (<c>…:build/PROJECT:ID</c>, <c>…:project/PROJECT</c>) its project. ARN formats:
/// the Service Authorization Reference's resource types for AWS CloudFormation and AWS CodeBuild.</summary>
internal static class ResourceNames
{
    /// <summary>The short name a person knows the resource by: the stack or project name, else the value itself.</summary>
    public static string Short(string resource)
    {
        ArgumentNullException.ThrowIfNull(resource);
        if (!resource.StartsWith("arn:", StringComparison.Ordinal))
        {
            return resource;
        }

        var parts = resource.Split(':', 6);
        if (parts.Length < 6)
        {
            return resource;
        }

        var (service, path) = (parts[2], parts[5]);
        return (service, path) switch
        {
            ("cloudformation", _) when path.StartsWith("stack/", StringComparison.Ordinal) => Segment(path["stack/".Length..], '/'),
            ("codebuild", _) when path.StartsWith("build/", StringComparison.Ordinal) => Segment(path["build/".Length..], ':'),
            ("codebuild", _) when path.StartsWith("project/", StringComparison.Ordinal) => path["project/".Length..],
            _ => resource,
        };
    }

    /// <summary>Whether <paramref name="query"/> names <paramref name="resource"/>: equal to the stored value or its
    /// short name; or, ending in <c>*</c>, a prefix of either.</summary>
    public static bool Matches(string query, string? resource)
    {
        ArgumentNullException.ThrowIfNull(query);
        if (resource is null)
        {
            return false;
        }

        var shortName = Short(resource);
        if (query.EndsWith('*'))
        {
            var prefix = query[..^1];
            return resource.StartsWith(prefix, StringComparison.Ordinal) || shortName.StartsWith(prefix, StringComparison.Ordinal);
        }

        return string.Equals(query, resource, StringComparison.Ordinal) || string.Equals(query, shortName, StringComparison.Ordinal);
    }

    private static string Segment(string text, char end) => text.IndexOf(end, StringComparison.Ordinal) is var at and >= 0 ? text[..at] : text;
}
