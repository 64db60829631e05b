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
        // Past the last mention of the path's last name no value can follow: the rest of the event is not read.
        var last = _path.Length == 0 ? utf8.Length : CheckedJsonCursor.LastMention(utf8, _path[^1]);
        var cursor = new CheckedJsonCursor(utf8);
        var found = 0;
        if (last >= 0)
        {
            Walk(ref cursor, new Walked(0, last), first, ref found);
        }

        return found;
    }

    /// <summary>From the value the cursor is on, <see cref="Walked.Depth"/> names down the path.</summary>
    private void Walk(ref CheckedJsonCursor cursor, Walked walked, Span<Range> first, ref int found)
    {
        var (depth, last) = walked;
        if (cursor.TryEnter((byte)'['))
        {
            // Past the last mention no element holds the name; the elements of a value found are all read.
            while ((depth == _path.Length || cursor.Position <= last) && cursor.NextElement())
            {
                Walk(ref cursor, walked, first, ref found);
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
            while (cursor.Position <= last && cursor.NextMember())
            {
                if (cursor.NameIs(_path[depth]))
                {
                    Walk(ref cursor, walked with { Depth = depth + 1 }, first, ref found);
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

    /// <param name="Depth">How many names down the path the walk is.</param>
    /// <param name="Last">Where the last member named as the path ends can start (<see cref="CheckedJsonCursor.LastMention"/>).</param>
    private readonly record struct Walked(int Depth, int Last);
}
