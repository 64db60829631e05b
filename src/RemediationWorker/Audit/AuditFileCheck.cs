namespace RemediationWorker.Audit;

/// <summary>Whether audit files verify, by <see cref="AuditChainVerifier"/> as it is, for the commands that read
/// records (<c>audit query</c>, <c>audit report</c>): they warn about a file that does not, and still show it.</summary>
internal static class AuditFileCheck
{
    /// <summary>Each file's verification; a file that cannot be opened gets no entry (the reader reports it).</summary>
    public static async Task<IReadOnlyList<FileVerification>> VerifyAsync(IReadOnlyList<string> paths, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        var results = new List<FileVerification>(paths.Count);
        foreach (var path in paths)
        {
            try
            {
                await using var stream = AuditFiles.OpenRead(path);
                results.Add(new FileVerification(path, await AuditChainVerifier.VerifyAsync(stream, cancellationToken)));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // Reported by the reader, which cannot open it either.
            }
        }

        return results;
    }

    /// <summary>Writes <c>warning: FILE does not verify: broken at line N: WHAT</c> for each broken file; true when any is.</summary>
    public static async Task<bool> WarnAsync(IEnumerable<FileVerification> files, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(files);
        ArgumentNullException.ThrowIfNull(error);
        var broken = false;
        foreach (var file in files.Where(f => !f.Result.IsIntact))
        {
            broken = true;
            await error.WriteLineAsync($"warning: {file.Path} does not verify: {file.Describe()}; its records are shown, but may have been altered (run 'audit verify')");
        }

        return broken;
    }
}
