namespace RemediationWorker.Configuration;

/// <summary>The configuration version in force and the last one refused, kept where the <c>health</c> command can
/// read them without calling S3: a small text file beside the heartbeat (<see cref="PathFor"/>).</summary>
internal sealed class ConfigurationStatus
{
    private readonly Lock _gate = new();
    private readonly string? _path;

    /// <param name="path">The status file; null keeps the status in memory only (validate, replay, tests).</param>
    public ConfigurationStatus(string? path = null) => _path = path;

    public ConfigurationDocument? InForce { get; private set; }

    public string? Rejected { get; private set; }

    public static string PathFor(string heartbeatPath) => heartbeatPath + ".configuration";

    public void Loaded(ConfigurationDocument document)
    {
        lock (_gate)
        {
            InForce = document;
            Rejected = null;
            Write();
        }
    }

    public void Refused(string what, string errors)
    {
        lock (_gate)
        {
            Rejected = $"{what}: {errors}";
            Write();
        }
    }

    /// <summary>What <c>health</c> adds to its line, or null when the file is absent (no worker has started).</summary>
    public static string? Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim().ReplaceLineEndings("; ");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Write()
    {
        if (_path is null)
        {
            return;
        }

        var text = $"configuration in force: {InForce?.ToString() ?? "none"}" + (Rejected is null ? string.Empty : $"\nrejected: {Rejected}");
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(_path)!);
            File.WriteAllText(_path + ".tmp", text);
            File.Move(_path + ".tmp", _path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Best effort: health then reports the heartbeat alone.
        }
    }
}
