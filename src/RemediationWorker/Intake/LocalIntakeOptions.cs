namespace RemediationWorker.Intake;

/// <summary><c>Intake:Local</c>: the directory the local source reads (never writes).</summary>
internal sealed class LocalIntakeOptions
{
    /// <summary>A directory of <c>.json</c> / <c>.jsonl</c> event files, or one such file.</summary>
    /// <value>The default value is <c>samples/events</c>, relative to the working directory.</value>
    public string Path { get; set; } = "samples/events";

    /// <summary>How often the directory is looked at for new or grown files (not with <c>--once</c>).</summary>
    /// <value>The default value is 2 seconds.</value>
    public TimeSpan PollInterval { get; set; } = TimeSpan.FromSeconds(2);
}
