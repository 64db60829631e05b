using System.Text;
using RemediationWorker.Intake;

namespace RemediationWorker.Remediation;

/// <summary>Where an event carries an id that one of our runs may have caused: the <c>ClientRequestToken</c> of a
/// CloudFormation call (stack status events), the drift detection id (drift events) and the build id (CodeBuild
/// events; a retried build's id is also matched without its ARN prefix). See the EventBridge event references of
/// CloudFormation and CodeBuild in their user guides.</summary>
internal static class CausedIdFields
{
    private static readonly string[] Fields = ["client-request-token", "stack-drift-detection-id", "build-id"];

    private static readonly byte[] Detail = "detail"u8.ToArray();
    private static readonly byte[][] Utf8Fields = [.. Fields.Select(Encoding.UTF8.GetBytes)];

    /// <summary>The ids in <paramref name="utf8Event"/>'s <c>detail</c>, in the order of the fields above, read from its
    /// bytes without parsing the rest (<see cref="CheckedJsonCursor"/>: an event the intake checked).</summary>
    public static IReadOnlyList<string> In(ReadOnlySpan<byte> utf8Event)
    {
        // Past the last mention of the fields' names no member can be one of them: most of an event is never read.
        var last = -1;
        foreach (var name in Utf8Fields)
        {
            last = Math.Max(last, CheckedJsonCursor.LastMention(utf8Event, name));
        }

        var cursor = new CheckedJsonCursor(utf8Event);
        if (last >= 0 && cursor.TryEnter((byte)'{'))
        {
            while (cursor.Position <= last && cursor.NextMember())
            {
                if (cursor.NameIs(Detail))
                {
                    return (cursor.TryEnter((byte)'{') ? InDetail(ref cursor, last) : null) ?? [];
                }

                cursor.SkipValue();
            }
        }

        return [];
    }

    private static List<string>? InDetail(ref CheckedJsonCursor cursor, int last)
    {
        string?[]? found = null;
        while (cursor.Position <= last && cursor.NextMember())
        {
            var field = FieldOf(ref cursor);
            if (field < 0)
            {
                cursor.SkipValue();
            }
            else if (cursor.ReadString() is { } id)
            {
                (found ??= new string?[Fields.Length])[field] = id;
            }
        }

        if (found is null)
        {
            return null;
        }

        var ids = new List<string>(2);
        foreach (var id in found)
        {
            if (id is not { Length: > 0 })
            {
                continue;
            }

            ids.Add(id);
            if (id.IndexOf(":build/", StringComparison.Ordinal) is var at and >= 0)
            {
                ids.Add(id[(at + ":build/".Length)..]); // RetryBuild returns the build's id, the event its ARN
            }
        }

        return ids;
    }

    private static int FieldOf(ref CheckedJsonCursor cursor)
    {
        for (var i = 0; i < Utf8Fields.Length; i++)
        {
            if (cursor.NameIs(Utf8Fields[i]))
            {
                return i;
            }
        }

        return -1;
    }
}
