using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace RemediationWorker.Intake;

/// <summary>Recognises an EventBridge event by its shape: a JSON object with string
/// <c>id</c>, <c>source</c>, <c>detail-type</c>, <c>account</c>, <c>region</c>, an ISO 8601 <c>time</c> and an
/// object <c>detail</c>; <c>resources</c>, when present, a list of strings. Reads the top level only and
/// stops as soon as it has them all: EventBridge writes <c>detail</c> last, so the detail is not read here.
/// Only for a body that has passed the intake's strict walk (<see cref="EventIntakeCheck"/>: UTF-8, escapes,
/// duplicate names, limits), so reading a string here cannot throw.</summary>
internal static class EventEnvelopeParser
{
    public static bool TryParse(ReadOnlySpan<byte> utf8, int maxDepth, [NotNullWhen(true)] out EventEnvelope? envelope, [NotNullWhen(false)] out string? error)
    {
        envelope = null;
        string? id = null, source = null, detailType = null, account = null, region = null, time = null;
        DateTimeOffset? utcTime = null;
        List<string>? resources = null;
        var hasDetail = false;
        try
        {
            var reader = new Utf8JsonReader(utf8, new JsonReaderOptions { MaxDepth = maxDepth });
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                error = "not an EventBridge event: the body is not a JSON object";
                return false;
            }

            var complete = false;
            while (!complete && reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                var member = MemberOf(ref reader);
                reader.Read();
                switch (member)
                {
                    case Member.Id: id = ReadString(ref reader); break;
                    case Member.Source: source = ReadString(ref reader); break;
                    case Member.DetailType: detailType = ReadString(ref reader); break;
                    case Member.Account: account = ReadString(ref reader); break;
                    case Member.Region: region = ReadString(ref reader); break;
                    case Member.Time:
                        utcTime = ReadUtcTime(ref reader);
                        time = utcTime is null ? ReadString(ref reader) : string.Empty;
                        break;
                    case Member.Resources: resources = ReadStrings(ref reader); break;
                    case Member.Detail:
                        hasDetail = reader.TokenType == JsonTokenType.StartObject;
                        if (hasDetail && id is not null && source is not null && detailType is not null && account is not null && region is not null && time is not null)
                        {
                            complete = true; // the usual order: everything else came before the detail
                            break;
                        }

                        reader.Skip();
                        break;
                    default: reader.Skip(); break;
                }
            }

        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException)
        {
            error = $"malformed-json: {ex.Message}"; // the strict walk has read the same bytes: not expected
            return false;
        }

        if (string.IsNullOrEmpty(id) || string.IsNullOrEmpty(source) || string.IsNullOrEmpty(detailType) || string.IsNullOrEmpty(account)
            || string.IsNullOrEmpty(region) || (utcTime is null && string.IsNullOrEmpty(time)) || !hasDetail)
        {
            error = Missing(id, source, detailType, account, region, utcTime is null ? time : "-", hasDetail);
            return false;
        }

        if (utcTime is not { } parsedTime
            && !DateTimeOffset.TryParse(time, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal | DateTimeStyles.AdjustToUniversal, out parsedTime))
        {
            error = $"not an EventBridge event: time \"{time}\" is not an ISO 8601 timestamp";
            return false;
        }

        envelope = new EventEnvelope(id, source, detailType, account, region, parsedTime, resources ?? (IReadOnlyList<string>)[]);
        error = null;
        return true;
    }

    private enum Member
    {
        Other,
        Id,
        Source,
        DetailType,
        Account,
        Region,
        Time,
        Resources,
        Detail,
    }

    /// <summary>The member whose name the reader is on, compared in place: no string per member of every event.</summary>
    private static Member MemberOf(ref Utf8JsonReader reader)
        => reader.ValueTextEquals("id"u8) ? Member.Id
            : reader.ValueTextEquals("source"u8) ? Member.Source
            : reader.ValueTextEquals("detail-type"u8) ? Member.DetailType
            : reader.ValueTextEquals("account"u8) ? Member.Account
            : reader.ValueTextEquals("region"u8) ? Member.Region
            : reader.ValueTextEquals("time"u8) ? Member.Time
            : reader.ValueTextEquals("resources"u8) ? Member.Resources
            : reader.ValueTextEquals("detail"u8) ? Member.Detail
            : Member.Other;

    private static string Missing(string? id, string? source, string? detailType, string? account, string? region, string? time, bool hasDetail)
    {
        var missing = new[] { ("id", id), ("source", source), ("detail-type", detailType), ("account", account), ("region", region), ("time", time) }
            .Where(f => string.IsNullOrEmpty(f.Item2)).Select(f => f.Item1).ToList();
        if (!hasDetail)
        {
            missing.Add("detail");
        }

        return $"not an EventBridge event: no {string.Join(", ", missing)} (as strings, detail as an object)";
    }

    /// <summary>EventBridge's own form, <c>2026-11-27T10:00:00Z</c>, by the reader's ISO 8601 parser without a
    /// string; anything else (another offset, no zone, a looser form) is left to <see cref="DateTimeOffset.TryParse(string?, IFormatProvider?, DateTimeStyles, out DateTimeOffset)"/>
    /// as before. Leaves the reader where it was.</summary>
    private static DateTimeOffset? ReadUtcTime(ref Utf8JsonReader reader)
        => reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped && !reader.HasValueSequence
           && reader.ValueSpan is [.., (byte)'Z'] && reader.TryGetDateTimeOffset(out var value)
            ? value.ToUniversalTime()
            : null;

    private static string? ReadString(ref Utf8JsonReader reader)
    {
        if (reader.TokenType == JsonTokenType.String)
        {
            return reader.GetString();
        }

        reader.Skip();
        return null;
    }

    private static List<string>? ReadStrings(ref Utf8JsonReader reader)
    {
        if (reader.TokenType != JsonTokenType.StartArray)
        {
            reader.Skip();
            return null;
        }

        var values = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                values.Add(reader.GetString()!);
            }
            else
            {
                reader.Skip();
            }
        }

        return values;
    }
}
