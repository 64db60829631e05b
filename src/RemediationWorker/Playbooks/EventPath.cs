using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Text.Json;

namespace RemediationWorker.Playbooks;

/// <summary>A path into an event: dotted field names with an optional index on the last one, such as
/// <c>detail.stack-id</c> or <c>resources[0]</c>.</summary>
internal sealed class EventPath
{
    /// <summary>The envelope fields every event has: the intake refuses events without them.</summary>
    private static readonly HashSet<string> EnvelopeFields = new(StringComparer.Ordinal)
    {
        "id", "source", "detail-type", "account", "region", "time",
    };

    private readonly string[] _segments;

    private EventPath(string text, string[] segments, int? index)
    {
        Text = text;
        _segments = segments;
        Index = index;
    }

    /// <summary>The path as written.</summary>
    public string Text { get; }

    /// <summary>The dotted path without the index, as <see cref="EventPatterns.EventPattern.GuaranteedFields"/> names fields.</summary>
    public string FieldPath => string.Join('.', _segments);

    public int? Index { get; }

    public static bool TryParse(string text, [NotNullWhen(true)] out EventPath? path, [NotNullWhen(false)] out string? error)
    {
        path = null;
        var trimmed = text.Trim();
        if (trimmed.Length == 0)
        {
            error = "is empty";
            return false;
        }

        int? index = null;
        var body = trimmed;
        if (trimmed.EndsWith(']'))
        {
            var open = trimmed.LastIndexOf('[');
            if (open <= 0 || !int.TryParse(trimmed.AsSpan(open + 1, trimmed.Length - open - 2), NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                error = $"\"{text}\" has a malformed index; write it as field[0]";
                return false;
            }

            index = parsed;
            body = trimmed[..open];
        }

        var segments = body.Split('.');
        if (segments.Any(s => s.Length == 0 || s.IndexOfAny(['[', ']', '{', '}', ' ']) >= 0))
        {
            error = $"\"{text}\" is not a path such as detail.stack-id or resources[0]";
            return false;
        }

        if (index is null && segments is ["resources"])
        {
            error = $"\"{text}\" is the event's list of resources, not one value: name one element, such as resources[0]";
            return false;
        }

        path = new EventPath(trimmed, segments, index);
        error = null;
        return true;
    }

    /// <summary>Whether every event the pattern matches has this field: an envelope field, or a field the
    /// pattern guarantees (an index only as [0], since a matched array has at least one element).</summary>
    public bool IsGuaranteedBy(IReadOnlySet<string> guaranteedFields)
    {
        if (Index is null && _segments.Length == 1 && EnvelopeFields.Contains(_segments[0]))
        {
            return true;
        }

        return (Index is null or 0) && guaranteedFields.Contains(FieldPath);
    }

    /// <summary>Finds the value in the event; false when a field on the way is missing.</summary>
    public bool TryResolve(JsonElement root, out JsonElement value)
    {
        value = root;
        foreach (var segment in _segments)
        {
            if (value.ValueKind != JsonValueKind.Object || !value.TryGetProperty(segment, out value))
            {
                return false;
            }
        }

        if (Index is int i)
        {
            if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() <= i)
            {
                return false;
            }

            value = value[i];
        }

        return true;
    }

    /// <summary>The value as text: strings as they are, numbers as written, booleans as true/false.
    /// Null, objects, arrays and missing fields give an error for the audit record.</summary>
    public bool TryRender(JsonElement root, [NotNullWhen(true)] out string? text, [NotNullWhen(false)] out string? error)
    {
        text = null;
        if (!TryResolve(root, out var value))
        {
            error = $"{Text} is missing from the event";
            return false;
        }

        switch (value.ValueKind)
        {
            case JsonValueKind.String:
                text = value.GetString()!;
                break;
            case JsonValueKind.Number:
                text = value.GetRawText();
                break;
            case JsonValueKind.True:
                text = "true";
                break;
            case JsonValueKind.False:
                text = "false";
                break;
            default:
                error = $"{Text} is {value.ValueKind.ToString().ToLowerInvariant()}, not a value";
                return false;
        }

        error = null;
        return true;
    }

    public override string ToString() => Text;
}
