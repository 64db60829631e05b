using System.Diagnostics;

namespace RemediationWorker.Diagnostics;

/// <summary>The X-Ray trace header SQS puts on a message (system attribute <c>AWSTraceHeader</c>), e.g.
/// <c>Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1</c>. The X-Ray trace id
/// <c>1-{8 hex epoch seconds}-{24 hex random}</c> is the W3C trace id <c>{8 hex}{24 hex}</c>; <c>Parent</c> is the
/// span id.</summary>
internal static class AwsTraceHeader
{
    public const string AttributeName = "AWSTraceHeader";

    /// <summary>Turns the header into a remote parent context; <see langword="false"/> when <c>Root</c> or
    /// <c>Parent</c> is missing or malformed (then start a new trace). <c>Sampled=1</c> sets
    /// <see cref="ActivityTraceFlags.Recorded"/>; <c>0</c>, <c>?</c> or none leaves it clear.</summary>
    public static bool TryGetParentContext(string? header, out ActivityContext context)
    {
        context = default;
        if (string.IsNullOrWhiteSpace(header))
        {
            return false;
        }

        ReadOnlySpan<char> root = default, parent = default;
        var sampled = false;
        foreach (var range in header.AsSpan().Split(';'))
        {
            var part = header.AsSpan()[range].Trim();
            var equals = part.IndexOf('=');
            if (equals <= 0)
            {
                continue;
            }

            var key = part[..equals].Trim();
            var value = part[(equals + 1)..].Trim();
            if (key.SequenceEqual("Root"))
            {
                root = value;
            }
            else if (key.SequenceEqual("Parent"))
            {
                parent = value;
            }
            else if (key.SequenceEqual("Sampled"))
            {
                sampled = value.SequenceEqual("1");
            }
        }

        // Root: "1-" + 8 hex + "-" + 24 hex = 35 characters.
        if (root.Length != 35 || !root.StartsWith("1-") || root[10] != '-' || parent.Length != 16)
        {
            return false;
        }

        Span<char> traceHex = stackalloc char[32];
        root.Slice(2, 8).CopyTo(traceHex);
        root.Slice(11, 24).CopyTo(traceHex[8..]);
        if (!IsHex(traceHex) || !IsHex(parent) || IsZero(traceHex) || IsZero(parent))
        {
            return false;
        }

        Span<char> lower = stackalloc char[32];
        traceHex.ToLowerInvariant(lower);
        Span<char> parentLower = stackalloc char[16];
        parent.ToLowerInvariant(parentLower);
        context = new ActivityContext(
            ActivityTraceId.CreateFromString(lower),
            ActivitySpanId.CreateFromString(parentLower),
            sampled ? ActivityTraceFlags.Recorded : ActivityTraceFlags.None,
            isRemote: true);
        return true;
    }

    private static bool IsHex(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiHexDigit(c))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsZero(ReadOnlySpan<char> text) => !text.ContainsAnyExcept('0');
}
