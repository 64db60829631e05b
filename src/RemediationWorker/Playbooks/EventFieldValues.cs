using System.Text;
using RemediationWorker.Intake;

namespace RemediationWorker.Playbooks;

/// <summary>The values at one path of an event, found in its bytes without parsing the rest: members off the path are
/// skipped (<see cref="CheckedJsonCursor"/>), arrays are flattened as the pattern engine reads them. An event no
/// playbook matched (most of them) is read this way for its <c>no-match</c> reason. For events the intake checked.</summary>
internal sealed class EventFieldValues
{
    private readonly byte[][] _path;

    /// <param name="path">The member names from the top level down.</param>
    public EventFieldValues(IReadOnlyList<string> path) => _path = [.. path.Select(Encoding.UTF8.GetBytes)];

    /// <summary>How many values the path holds; the first <paramref name="first"/>.Length of them as the byte ranges of
    /// their JSON text in <paramref name="utf8"/>.</summary>
    public int Find(ReadOnlySpan<byte> utf8, Span<Range> first)
    {
        var cursor = new CheckedJsonCursor(utf8);
        var found = 0;
        Walk(ref cursor, 0, first, ref found);
        return found;
    }

    /// <summary>From the value the cursor is on, at <paramref name="depth"/> names down the path.</summary>
    private void Walk(ref CheckedJsonCursor cursor, int depth, Span<Range> first, ref int found)
    {
        if (cursor.TryEnter((byte)'['))
        {
            while (cursor.NextElement())
            {
                Walk(ref cursor, depth, first, ref found);
            }
        }
        else if (depth == _path.Length)
        {
            var start = cursor.Position;
            cursor.SkipValue();
            if (found < first.Length)
            {
                first[found] = start..cursor.Position;
            }

            found++;
        }
        else if (cursor.TryEnter((byte)'{'))
        {
            while (cursor.NextMember())
            {
                if (cursor.NameIs(_path[depth]))
                {
                    Walk(ref cursor, depth + 1, first, ref found);
                }
                else
                {
                    cursor.SkipValue();
                }
            }
        }
        else
        {
            cursor.SkipValue();
        }
    }
}
