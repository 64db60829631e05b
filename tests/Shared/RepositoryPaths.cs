namespace RemediationWorker.Testing;

/// <summary>Finds the repository root and the <c>shared/</c> folder that CI lays beside it.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    /// <summary><c>../shared</c> beside the checkout: conformance cases and benchmark data, read in place.</summary>
    public static string Shared { get; } = Path.GetFullPath(Path.Combine(Root, "..", "shared"));

    public static string SharedFile(params string[] parts) => Path.Combine([Shared, .. parts]);

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "RemediationWorker.sln")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("RemediationWorker.sln not found above " + AppContext.BaseDirectory);
    }
}
