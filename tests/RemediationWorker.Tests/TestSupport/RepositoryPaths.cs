namespace RemediationWorker.Tests.TestSupport;

/// <summary>Files of the repository the tests read (never write): appsettings.json, the schema, samples.</summary>
internal static class RepositoryPaths
{
    public static string Root { get; } = FindRoot();

    public static string AppSettings => Path.Combine(Root, "appsettings.json");

    public static string Schema => Path.Combine(Root, "appsettings.schema.json");

    public static string SampleEvents => Path.Combine(Root, "samples", "events");

    public static string ReplayDay => Path.Combine(Root, "samples", "replay", "day.jsonl");

    public static string Sample(string name) => Path.Combine(SampleEvents, name);

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "RemediationWorker.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("RemediationWorker.sln not found above the test output");
    }
}
