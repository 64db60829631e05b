using System.Globalization;

namespace RemediationWorker.Guards;

/// <summary>How guard reasons write times: UTC to the second, ISO 8601.</summary>
internal static class GuardText
{
    public static string Time(DateTimeOffset? time)
        => time?.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture) ?? "-";
}
