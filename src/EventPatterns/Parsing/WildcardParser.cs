using System.Text;
using EventPatterns.Matchers;

namespace EventPatterns.Parsing;

/// <summary>Splits a wildcard pattern on its unescaped stars.</summary>
internal static class WildcardParser
{
    public static WildcardMatcher Parse(string pattern, string path, string operatorName)
    {
        var pieces = new List<string>();
        var current = new StringBuilder();
        var anchoredStart = true;
        var anchoredEnd = true;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            if (c == '\\')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] is '*' or '\\')
                {
                    current.Append(pattern[++i]);
                    continue;
                }

                throw new InvalidPatternException(PatternErrorCode.InvalidWildcard, path, $"\"{operatorName}\" has an invalid escape at position {i}: only \\* and \\\\ are allowed");
            }

            if (c == '*')
            {
                if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                {
                    throw new InvalidPatternException(PatternErrorCode.InvalidWildcard, path, $"\"{operatorName}\" has consecutive wildcard characters at position {i}");
                }

                if (i == 0)
                {
                    anchoredStart = false;
                }
                else
                {
                    pieces.Add(current.ToString());
                    current.Clear();
                }

                if (i == pattern.Length - 1)
                {
                    anchoredEnd = false;
                }

                continue;
            }

            current.Append(c);
        }

        if (anchoredEnd)
        {
            pieces.Add(current.ToString());
        }

        if (pieces.Count == 0)
        {
            // "*" alone: one empty piece, unanchored, matches every string.
            pieces.Add(string.Empty);
        }

        return new WildcardMatcher(pattern, pieces, anchoredStart, anchoredEnd);
    }
}
