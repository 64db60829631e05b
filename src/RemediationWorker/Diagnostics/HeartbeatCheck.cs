using System.Globalization;

namespace RemediationWorker.Diagnostics;

/// <summary>Reads the heartbeat file and compares its time with <see cref="HealthOptions.MaxSilence"/>.</summary>
internal static class HeartbeatCheck
{
    public static HealthReport Evaluate(string path, TimeSpan maxSilence, DateTimeOffset now)
    {
        string text;
        try
        {
            text = File.ReadAllText(path).Trim();
        }
        catch (Exception ex) when (ex is FileNotFoundException or DirectoryNotFoundException)
        {
            return new HealthReport(false, $"no heartbeat yet ({path} does not exist)");
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return new HealthReport(false, $"cannot read the heartbeat {path}: {ex.Message}");
        }

        if (text.StartsWith(Heartbeat.UnhealthyPrefix, StringComparison.Ordinal))
        {
            return new HealthReport(false, text[Heartbeat.UnhealthyPrefix.Length..].Trim());
        }

        if (!DateTimeOffset.TryParseExact(text, Heartbeat.TimeFormat, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out var last))
        {
            return new HealthReport(false, $"the heartbeat {path} holds no time: '{Shorten(text)}'");
        }

        var age = now - last;
        if (age < TimeSpan.Zero)
        {
            age = TimeSpan.Zero;
        }

        return age > maxSilence
            ? new HealthReport(false, $"no poll completed for {Seconds(age)} s (last heartbeat {text}; the limit Health:MaxSilence is {Seconds(maxSilence)} s)")
            : new HealthReport(true, $"last poll completed {Seconds(age)} s ago ({text})");
    }

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);

    private static string Shorten(string text) => text.Length <= 40 ? text : text[..40] + "…";
}
