using System.Globalization;
using System.Text.Json;
using EventPatterns.Matchers;

namespace EventPatterns.Parsing;

/// <summary>Turns pattern JSON into branches of fields (the OR of ANDs that <c>$or</c> expands to),
/// refusing at load every pattern EventBridge would refuse, with the path and the problem.</summary>
internal static class PatternParser
{
    /// <summary>A pattern whose <c>$or</c>s expand to more branches than this is refused: it would
    /// make matching slow, and no real rule needs it.</summary>
    public const int MaxBranches = 1024;

    private const string OrKey = "$or";

    private static readonly HashSet<string> MatchTypes = new(StringComparer.Ordinal)
    {
        "exactly", "prefix", "suffix", "equals-ignore-case", "wildcard", "anything-but", "numeric", "exists", "cidr",
    };

    public static IReadOnlyList<PatternBranch> Parse(string json)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json, new JsonDocumentOptions { MaxDepth = 64 });
        }
        catch (JsonException ex)
        {
            throw new InvalidPatternException(string.Empty, "not valid JSON: " + ex.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPatternException(string.Empty, "a pattern must be a JSON object");
            }

            var branches = ParseObject(document.RootElement, string.Empty);
            return branches.Select(fields => new PatternBranch(fields)).ToArray();
        }
    }

    private static List<List<PatternField>> ParseObject(JsonElement obj, string prefix)
    {
        var branches = new List<List<PatternField>> { new() };
        var any = false;
        foreach (var property in obj.EnumerateObject())
        {
            any = true;
            if (property.Name == OrKey && IsOrRelationship(property.Value))
            {
                var alternatives = new List<List<PatternField>>();
                foreach (var element in property.Value.EnumerateArray())
                {
                    alternatives.AddRange(ParseObject(element, prefix));
                }

                branches = Cross(branches, alternatives, prefix);
                continue;
            }

            var path = prefix.Length == 0 ? property.Name : prefix + "." + property.Name;
            switch (property.Value.ValueKind)
            {
                case JsonValueKind.Object:
                    branches = Cross(branches, ParseObject(property.Value, path), path);
                    break;
                case JsonValueKind.Array:
                    var field = ParseValueList(property.Value, path);
                    foreach (var branch in branches)
                    {
                        Put(branch, field);
                    }

                    break;
                default:
                    throw new InvalidPatternException(path, "must be an array of match values or an object of fields");
            }
        }

        if (!any)
        {
            throw new InvalidPatternException(prefix, "an object in a pattern needs at least one field");
        }

        return branches;
    }

    /// <summary>As in event-ruler: <c>$or</c> is an OR only when it holds two or more objects of fields;
    /// otherwise it is an ordinary field that happens to be named <c>$or</c>.</summary>
    private static bool IsOrRelationship(JsonElement value)
    {
        if (value.ValueKind != JsonValueKind.Array || value.GetArrayLength() < 2)
        {
            return false;
        }

        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.Object)
            {
                return false;
            }

            foreach (var property in element.EnumerateObject())
            {
                if (MatchTypes.Contains(property.Name))
                {
                    return false;
                }
            }
        }

        return true;
    }

    private static List<List<PatternField>> Cross(List<List<PatternField>> left, List<List<PatternField>> right, string path)
    {
        if ((long)left.Count * right.Count > MaxBranches)
        {
            throw new InvalidPatternException(path, $"\"$or\" expands to more than {MaxBranches} combinations");
        }

        var result = new List<List<PatternField>>(left.Count * right.Count);
        foreach (var l in left)
        {
            foreach (var r in right)
            {
                var merged = new List<PatternField>(l);
                foreach (var field in r)
                {
                    Put(merged, field);
                }

                result.Add(merged);
            }
        }

        return result;
    }

    /// <summary>Adds a field to a branch; a later definition of the same path replaces the earlier one,
    /// as in event-ruler, where a field inside an <c>$or</c> overrides the same field beside it.</summary>
    private static void Put(List<PatternField> branch, PatternField field)
    {
        var existing = branch.FindIndex(f => f.Path == field.Path);
        if (existing >= 0)
        {
            branch[existing] = field;
        }
        else
        {
            branch.Add(field);
        }
    }

    private static PatternField ParseValueList(JsonElement list, string path)
    {
        if (list.GetArrayLength() == 0)
        {
            throw new InvalidPatternException(path, "needs at least one match value");
        }

        var matchers = new List<ValueMatcher>();
        var allowAbsent = false;
        foreach (var value in list.EnumerateArray())
        {
            switch (value.ValueKind)
            {
                case JsonValueKind.String:
                    matchers.Add(new ExactStringMatcher(value.GetString()!));
                    break;
                case JsonValueKind.Number:
                    matchers.Add(new ExactNumberMatcher(Canonical(value, path), value.GetRawText()));
                    break;
                case JsonValueKind.True:
                    matchers.Add(new LiteralMatcher(LeafKind.True));
                    break;
                case JsonValueKind.False:
                    matchers.Add(new LiteralMatcher(LeafKind.False));
                    break;
                case JsonValueKind.Null:
                    matchers.Add(new LiteralMatcher(LeafKind.Null));
                    break;
                case JsonValueKind.Object:
                    var matcher = ParseExpression(value, path);
                    if (matcher is null)
                    {
                        allowAbsent = true;
                    }
                    else
                    {
                        matchers.Add(matcher);
                    }

                    break;
                default:
                    throw new InvalidPatternException(path, "a match value must be a string, a number, true, false, null or a match expression object");
            }
        }

        return new PatternField(path, matchers, allowAbsent);
    }

    /// <summary>One <c>{"operator": operand}</c> object; null for <c>exists: false</c>.</summary>
    private static ValueMatcher? ParseExpression(JsonElement expression, string path)
    {
        var (name, operand) = SingleProperty(expression, path);
        switch (name)
        {
            case "exactly":
                return new ExactStringMatcher(RequireString(operand, path, name), asAddress: false);
            case "prefix":
                return ParsePrefixOrSuffix(operand, path, name, (s, ignoreCase) => new PrefixMatcher(s, ignoreCase));
            case "suffix":
                return ParsePrefixOrSuffix(operand, path, name, (s, ignoreCase) => new SuffixMatcher(s, ignoreCase));
            case "equals-ignore-case":
                return new EqualsIgnoreCaseMatcher(RequireString(operand, path, name));
            case "wildcard":
                return WildcardParser.Parse(RequireString(operand, path, name), path, name);
            case "anything-but":
                return ParseAnythingBut(operand, path);
            case "numeric":
                return ParseNumeric(operand, path);
            case "cidr":
                return ParseCidr(operand, path);
            case "exists":
                return operand.ValueKind switch
                {
                    JsonValueKind.True => ExistsMatcher.Instance,
                    JsonValueKind.False => null,
                    _ => throw new InvalidPatternException(path, "\"exists\" needs true or false"),
                };
            default:
                throw new InvalidPatternException(path, $"unrecognized match type \"{name}\"");
        }
    }

    private static (string Name, JsonElement Operand) SingleProperty(JsonElement expression, string path)
    {
        string? name = null;
        JsonElement operand = default;
        foreach (var property in expression.EnumerateObject())
        {
            if (name is not null)
            {
                throw new InvalidPatternException(path, $"a match expression has exactly one key, found \"{name}\" and \"{property.Name}\"");
            }

            name = property.Name;
            operand = property.Value;
        }

        return name is null
            ? throw new InvalidPatternException(path, "a match expression needs one key, found none")
            : (name, operand);
    }

    private static ValueMatcher ParsePrefixOrSuffix(JsonElement operand, string path, string name, Func<string, bool, ValueMatcher> create)
    {
        if (operand.ValueKind == JsonValueKind.String)
        {
            return create(operand.GetString()!, false);
        }

        if (operand.ValueKind == JsonValueKind.Object)
        {
            var (inner, value) = SingleProperty(operand, path);
            if (inner != "equals-ignore-case")
            {
                throw new InvalidPatternException(path, $"\"{name}\" supports only \"equals-ignore-case\" inside it, not \"{inner}\"");
            }

            return create(RequireString(value, path, $"{name}\": {{\"equals-ignore-case"), true);
        }

        throw new InvalidPatternException(path, $"\"{name}\" needs a string");
    }

    private static AnythingButMatcher ParseAnythingBut(JsonElement operand, string path)
    {
        const string Name = "anything-but";
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return new AnythingButMatcher([new ExactStringMatcher(operand.GetString()!)]);
            case JsonValueKind.Number:
                return new AnythingButMatcher([new ExactNumberMatcher(Canonical(operand, path), operand.GetRawText())]);
            case JsonValueKind.Array:
                return new AnythingButMatcher(ParseAnythingButList(operand, path));
            case JsonValueKind.Object:
                var (inner, value) = SingleProperty(operand, path);
                return inner switch
                {
                    "prefix" => new AnythingButMatcher(StringsOf(value, path, "anything-but\": {\"prefix", nonEmpty: true)
                        .Select(s => (ValueMatcher)new PrefixMatcher(s, ignoreCase: false)).ToArray()),
                    "suffix" => new AnythingButMatcher(StringsOf(value, path, "anything-but\": {\"suffix", nonEmpty: true)
                        .Select(s => (ValueMatcher)new SuffixMatcher(s, ignoreCase: false)).ToArray()),
                    "equals-ignore-case" => new AnythingButMatcher(StringsOf(value, path, "anything-but\": {\"equals-ignore-case", nonEmpty: false)
                        .Select(s => (ValueMatcher)new EqualsIgnoreCaseMatcher(s)).ToArray()),
                    "wildcard" => new AnythingButMatcher(StringsOf(value, path, "anything-but\": {\"wildcard", nonEmpty: false)
                        .Select(s => (ValueMatcher)WildcardParser.Parse(s, path, "anything-but\": {\"wildcard")).ToArray()),
                    _ => throw new InvalidPatternException(path, $"\"{Name}\" supports \"prefix\", \"suffix\", \"equals-ignore-case\" and \"wildcard\" inside it, not \"{inner}\""),
                };
            default:
                throw new InvalidPatternException(path, $"\"{Name}\" needs a string, a number, a list of strings or of numbers, or an object");
        }
    }

    private static List<ValueMatcher> ParseAnythingButList(JsonElement list, string path)
    {
        if (list.GetArrayLength() == 0)
        {
            throw new InvalidPatternException(path, "\"anything-but\" needs at least one value in its list");
        }

        var matchers = new List<ValueMatcher>();
        JsonValueKind? kind = null;
        foreach (var value in list.EnumerateArray())
        {
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                throw new InvalidPatternException(path, "\"anything-but\" list values must be strings or numbers");
            }

            if (kind is not null && kind != value.ValueKind)
            {
                throw new InvalidPatternException(path, "\"anything-but\" list mixes strings and numbers: all values must be of one type");
            }

            kind = value.ValueKind;
            matchers.Add(value.ValueKind == JsonValueKind.String
                ? new ExactStringMatcher(value.GetString()!)
                : new ExactNumberMatcher(Canonical(value, path), value.GetRawText()));
        }

        return matchers;
    }

    private static List<string> StringsOf(JsonElement value, string path, string name, bool nonEmpty)
    {
        var result = new List<string>();
        if (value.ValueKind == JsonValueKind.String)
        {
            result.Add(value.GetString()!);
        }
        else if (value.ValueKind == JsonValueKind.Array && value.GetArrayLength() > 0)
        {
            foreach (var element in value.EnumerateArray())
            {
                if (element.ValueKind != JsonValueKind.String)
                {
                    throw new InvalidPatternException(path, $"\"{name}\" needs strings");
                }

                result.Add(element.GetString()!);
            }
        }
        else
        {
            throw new InvalidPatternException(path, $"\"{name}\" needs a string or a non-empty list of strings");
        }

        if (nonEmpty && result.Exists(s => s.Length == 0))
        {
            throw new InvalidPatternException(path, $"\"{name}\" needs non-empty strings");
        }

        return result;
    }

    private static ValueMatcher ParseNumeric(JsonElement operand, string path)
    {
        if (operand.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPatternException(path, "\"numeric\" needs a list such as [\">\", 0, \"<=\", 5]");
        }

        var terms = operand.EnumerateArray().ToArray();
        if (terms.Length is not (2 or 4))
        {
            if (terms.Length == 0 || terms[0].ValueKind != JsonValueKind.String)
            {
                throw new InvalidPatternException(path, "\"numeric\" needs a list such as [\">\", 0, \"<=\", 5]");
            }

            throw new InvalidPatternException(path, terms.Length < 2
                ? $"\"numeric\": the value of {terms[0].GetString()} must be a number"
                : "\"numeric\" has too many terms: use one comparison, or a lower bound then an upper bound");
        }

        var (firstOp, first, firstCanonical) = Comparison(terms[0], terms[1], path);
        if (terms.Length == 2)
        {
            return firstOp switch
            {
                "=" => new ExactNumberMatcher(firstCanonical, terms[1].GetRawText()),
                "<" => new NumericRangeMatcher(double.NegativeInfinity, false, first, false),
                "<=" => new NumericRangeMatcher(double.NegativeInfinity, false, first, true),
                ">" => new NumericRangeMatcher(first, false, double.PositiveInfinity, false),
                _ => new NumericRangeMatcher(first, true, double.PositiveInfinity, false),
            };
        }

        var (secondOp, second, _) = Comparison(terms[2], terms[3], path);
        if (firstOp is not (">" or ">=") || secondOp is not ("<" or "<="))
        {
            throw new InvalidPatternException(path, "\"numeric\" with two comparisons needs a lower bound (> or >=) then an upper bound (< or <=)");
        }

        if (!(first < second))
        {
            throw new InvalidPatternException(path, "\"numeric\": the lower bound must be less than the upper bound");
        }

        return new NumericRangeMatcher(first, firstOp == ">=", second, secondOp == "<=");
    }

    private static (string Op, double Value, byte[] Canonical) Comparison(JsonElement op, JsonElement value, string path)
    {
        var name = op.ValueKind == JsonValueKind.String ? op.GetString()! : op.GetRawText();
        if (name is not ("=" or "<" or "<=" or ">" or ">="))
        {
            throw new InvalidPatternException(path, $"\"numeric\": unrecognized operator {name}; use =, <, <=, > or >=");
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidPatternException(path, $"\"numeric\": the value of {name} must be a number");
        }

        var text = value.GetRawText();
        var canonical = Canonical(value, path);
        if (!double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out var number)
            || !double.IsFinite(number)
            || (number == 0 && canonical is not [(byte)'0']))
        {
            throw new InvalidPatternException(path, $"\"numeric\": {text} is out of the range of numbers that can be compared");
        }

        return (name, number, canonical);
    }

    private static CidrMatcher ParseCidr(JsonElement operand, string path)
    {
        var text = RequireString(operand, path, "cidr");
        var slash = text.IndexOf('/', StringComparison.Ordinal);
        if (slash < 0 || slash != text.LastIndexOf('/'))
        {
            throw new InvalidPatternException(path, $"\"cidr\": malformed block \"{text}\", one '/' required");
        }

        Span<byte> address = stackalloc byte[16];
        var ip = System.Text.Encoding.UTF8.GetBytes(text[..slash]);
        if (!IpAddressText.TryParse(ip, address, out var length))
        {
            throw new InvalidPatternException(path, $"\"cidr\": \"{text[..slash]}\" is not an IP address");
        }

        var bits = text[(slash + 1)..];
        if (bits.Length is 0 or > 3 || !bits.All(char.IsAsciiDigit)
            || !int.TryParse(bits, NumberStyles.None, CultureInfo.InvariantCulture, out var prefixLength)
            || prefixLength > length * 8)
        {
            throw new InvalidPatternException(path, $"\"cidr\": prefix length \"{bits}\" must be 0 to {length * 8}");
        }

        return new CidrMatcher(text, address[..length].ToArray(), prefixLength);
    }

    private static string RequireString(JsonElement operand, string path, string name)
        => operand.ValueKind == JsonValueKind.String
            ? operand.GetString()!
            : throw new InvalidPatternException(path, $"\"{name}\" needs a string");

    private static byte[] Canonical(JsonElement number, string path)
        => NumberText.Canonicalize(number.GetRawText())
           ?? throw new InvalidPatternException(path, $"{number.GetRawText()} is not a number");
}
