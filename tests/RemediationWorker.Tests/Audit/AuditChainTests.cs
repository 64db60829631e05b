using System.Globalization;
using System.Text;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

public sealed class AuditChainTests
{
    public static TheoryData<DateTimeOffset> Times => new()
    {
        new DateTimeOffset(2026, 11, 27, 10, 4, 5, 6, TimeSpan.Zero),
        new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(2026, 11, 27, 0, 30, 0, 999, TimeSpan.FromHours(2)), // the day before in UTC
        new DateTimeOffset(9999, 12, 31, 23, 59, 59, 999, TimeSpan.Zero).AddTicks(9_999),
        new DateTimeOffset(1, 1, 1, 0, 0, 0, TimeSpan.Zero),
        new DateTimeOffset(987, 6, 5, 4, 3, 2, 10, TimeSpan.Zero),
    };

    [Theory]
    [MemberData(nameof(Times))]
    public void FormatTime_IsTheDocumentedFormat(DateTimeOffset time)
    {
        Span<byte> written = stackalloc byte[AuditChain.TimeLength];

        var length = AuditChain.FormatTime(time, written);

        Assert.Equal(time.UtcDateTime.ToString(AuditChain.TimeFormat, CultureInfo.InvariantCulture), Encoding.ASCII.GetString(written[..length]));
    }
}
