namespace RemediationWorker.Diagnostics;

/// <summary>The one rule that keeps audit and log lines short whatever an event holds: a string over
/// <see cref="MaxChars"/> characters is cut to that length, and when the strings of one line would still take more
/// than its budget (counted as written, escapes included) the longest are cut further, to an equal share.</summary>
internal static class TextBounds
{
    /// <summary>Longest string kept whole in an audit record or a log entry.</summary>
    public const int MaxChars = 1024;

    /// <summary>Most bytes all the event-derived strings of one line may take. A log entry writes each value twice (in
    /// the message and as a property), so twice this and the fixed members stay under the 16 KiB line.</summary>
    public const int LineBudgetBytes = 6 * 1024;

    /// <summary>The longest line the worker writes, audit or log.</summary>
    public const int MaxLineBytes = 16 * 1024;

    /// <summary>Whether strings of these total characters fit the budget whatever they hold (no need to look).</summary>
    public static bool SurelyFits(int totalChars) => totalChars <= LineBudgetBytes / 6;

    /// <summary>Bytes <paramref name="text"/> can take once written as JSON, counted high: 1 for plain ASCII, 6 for
    /// anything a writer may escape (<c>\u00e9</c>).</summary>
    public static int WrittenSize(ReadOnlySpan<char> text)
    {
        var size = 0;
        foreach (var c in text)
        {
            size += c is >= ' ' and < (char)0x7F and not ('"' or '\\' or '<' or '>' or '&' or '\'' or '+' or '`') ? 1 : 6;
        }

        return size;
    }

    /// <summary>The largest per-string size (in <see cref="WrittenSize"/> bytes) that fits the strings into
    /// <paramref name="budget"/>: every string keeps up to that much.</summary>
    public static int ShareOf(Span<int> sizes, int budget)
    {
        sizes.Sort();
        var remaining = budget;
        for (var i = 0; i < sizes.Length; i++)
        {
            var share = remaining / (sizes.Length - i);
            if (sizes[i] > share)
            {
                return share;
            }

            remaining -= sizes[i];
        }

        return int.MaxValue;
    }

    /// <summary><paramref name="text"/> cut to at most <paramref name="maxChars"/> characters and <paramref name="maxSize"/>
    /// written bytes, never between the halves of a surrogate pair; the text itself when it fits.</summary>
    public static string Cut(string text, int maxSize, int maxChars = MaxChars)
    {
        var length = 0;
        var size = 0;
        while (length < text.Length && length < maxChars)
        {
            var next = size + WrittenSize(text.AsSpan(length, 1));
            if (next > maxSize)
            {
                break;
            }

            size = next;
            length++;
        }

        if (length == text.Length)
        {
            return text;
        }

        if (length > 0 && char.IsHighSurrogate(text[length - 1]))
        {
            length--;
        }

        return text[..length];
    }
}
