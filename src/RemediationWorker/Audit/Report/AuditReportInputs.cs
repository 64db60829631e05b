namespace RemediationWorker.Audit.Report;

/// <summary>The files <c>audit report</c> reads: each path given as a file, or a directory's <c>*.jsonl</c> files
/// (in name order, not recursive).</summary>
internal static class AuditReportInputs
{
    /// <returns>The files, or <see langword="null"/> with <paramref name="problem"/> when a path does not exist or a
    /// directory holds no audit file.</returns>
    public static IReadOnlyList<string>? Expand(IReadOnlyList<string> paths, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var files = new List<string>();
        foreach (var path in paths)
        {
            if (Directory.Exists(path))
            {
                var inDirectory = Directory.GetFiles(path, "*.jsonl").Order(StringComparer.Ordinal).ToList();
                if (inDirectory.Count == 0)
                {
                    problem = $"{path} holds no audit file (*.jsonl)";
                    return null;
                }

                files.AddRange(inDirectory);
            }
            else if (File.Exists(path))
            {
                files.Add(path);
            }
            else
            {
                problem = $"cannot read {path}: no such file or directory";
                return null;
            }
        }

        problem = null;
        return files;
    }
}
