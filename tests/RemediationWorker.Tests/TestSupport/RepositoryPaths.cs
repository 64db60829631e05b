namespace RemediationWorker.Tests.TestSupport;

/// <summary>Files of the repository the tests read (never write): appsettings.json, the schema, samples.</summary>
internal static class RepositoryPaths
{
    public static string Root => RemediationWorker.Testing.RepositoryPaths.Root;

    public static string AppSettings => Path.Combine(Root, "appsettings.json");

    public static string Schema => Path.Combine(Root, "appsettings.schema.json");

    public static string SampleEvents => Path.Combine(Root, "samples", "events");

    public static string ReplayDay => Path.Combine(Root, "samples", "replay", "day.jsonl");

    public static string Sample(string name) => Path.Combine(SampleEvents, name);
}
