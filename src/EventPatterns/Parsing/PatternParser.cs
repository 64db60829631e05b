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
            throw new InvalidPatternException(PatternErrorCode.NotJson, string.Empty, "not valid JSON: " + ex.Message);
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                throw new InvalidPatternException(PatternErrorCode.NotAnObject, string.Empty, "a pattern must be a JSON object");
            }

            try
            {
                var branches = ParseObject(document.RootElement, string.Empty);
                return branches.Select(fields => new PatternBranch(fields)).ToArray();
            }
            catch (InvalidOperationException ex)
            {
                // JsonDocument checks a string's escapes only when the string is read: a \u escape that is half a
                // surrogate pair is valid JSON text but no string.
                throw new InvalidPatternException(PatternErrorCode.NotJson, string.Empty, "not valid JSON: " + ex.Message);
            }
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
                    throw new InvalidPatternException(PatternErrorCode.NotAListOrObject, path, "must be an array of match values or an object of fields");
            }
        }

        if (!any)
        {
            throw new InvalidPatternException(PatternErrorCode.EmptyObject, prefix, "an object in a pattern needs at least one field");
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
            throw new InvalidPatternException(PatternErrorCode.TooManyCombinations, path, $"\"$or\" expands to more than {MaxBranches} combinations");
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
            throw new InvalidPatternException(PatternErrorCode.EmptyList, path, "needs at least one match value");
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
                    matchers.Add(new ExactNumberMatcher(value.GetRawText()));
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
                    throw new InvalidPatternException(PatternErrorCode.InvalidMatchValue, path, "a match value must be a string, a number, true, false, null or a match expression object");
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
                    _ => throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, "\"exists\" needs true or false"),
                };
            default:
                throw new InvalidPatternException(PatternErrorCode.UnknownOperator, path, $"unrecognized match type \"{name}\"");
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
                throw new InvalidPatternException(PatternErrorCode.MalformedExpression, path, $"a match expression has exactly one key, found \"{name}\" and \"{property.Name}\"");
            }

            name = property.Name;
            operand = property.Value;
        }

        return name is null
            ? throw new InvalidPatternException(PatternErrorCode.MalformedExpression, path, "a match expression needs one key, found none")
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
                throw new InvalidPatternException(PatternErrorCode.UnknownOperator, path, $"\"{name}\" supports only \"equals-ignore-case\" inside it, not \"{inner}\"");
            }

            return create(RequireString(value, path, $"{name}\": {{\"equals-ignore-case"), true);
        }

        throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, $"\"{name}\" needs a string");
    }

    private static AnythingButMatcher ParseAnythingBut(JsonElement operand, string path)
    {
        const string Name = "anything-but";
        switch (operand.ValueKind)
        {
            case JsonValueKind.String:
                return new AnythingButMatcher([new ExactStringMatcher(operand.GetString()!, asAddress: false)]);
            case JsonValueKind.Number:
                return new AnythingButMatcher([ComparableNumber(operand, path)]);
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
                    _ => throw new InvalidPatternException(PatternErrorCode.UnknownOperator, path, $"\"{Name}\" supports \"prefix\", \"suffix\", \"equals-ignore-case\" and \"wildcard\" inside it, not \"{inner}\""),
                };
            default:
                throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, $"\"{Name}\" needs a string, a number, a list of strings or of numbers, or an object");
        }
    }

    private static List<ValueMatcher> ParseAnythingButList(JsonElement list, string path)
    {
        if (list.GetArrayLength() == 0)
        {
            throw new InvalidPatternException(PatternErrorCode.EmptyList, path, "\"anything-but\" needs at least one value in its list");
        }

        var matchers = new List<ValueMatcher>();
        JsonValueKind? kind = null;
        foreach (var value in list.EnumerateArray())
        {
            if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
            {
                throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, "\"anything-but\" list values must be strings or numbers");
            }

            if (kind is not null && kind != value.ValueKind)
            {
                throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, "\"anything-but\" list mixes strings and numbers: all values must be of one type");
            }

            kind = value.ValueKind;
            matchers.Add(value.ValueKind == JsonValueKind.String
                ? new ExactStringMatcher(value.GetString()!, asAddress: false)
                : ComparableNumber(value, path));
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
                    throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, $"\"{name}\" needs strings");
                }

                result.Add(element.GetString()!);
            }
        }
        else
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, $"\"{name}\" needs a string or a non-empty list of strings");
        }

        if (nonEmpty && result.Exists(s => s.Length == 0))
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, $"\"{name}\" needs non-empty strings");
        }

        return result;
    }

    private static ValueMatcher ParseNumeric(JsonElement operand, string path)
    {
        if (operand.ValueKind != JsonValueKind.Array)
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, "\"numeric\" needs a list such as [\">\", 0, \"<=\", 5]");
        }

        var terms = operand.EnumerateArray().ToArray();
        if (terms.Length is not (2 or 4))
        {
            if (terms.Length == 0 || terms[0].ValueKind != JsonValueKind.String)
            {
                throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, "\"numeric\" needs a list such as [\">\", 0, \"<=\", 5]");
            }

            throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, terms.Length < 2
                ? $"\"numeric\": the value of {terms[0].GetString()} must be a number"
                : "\"numeric\" has too many terms: use one comparison, or a lower bound then an upper bound");
        }

        var (firstOp, first) = Comparison(terms[0], terms[1], path);
        if (terms.Length == 2)
        {
            return firstOp switch
            {
                "=" => ComparableNumber(terms[1], path),
                "<" => new NumericRangeMatcher(double.NegativeInfinity, false, first, false),
                "<=" => new NumericRangeMatcher(double.NegativeInfinity, false, first, true),
                ">" => new NumericRangeMatcher(first, false, double.PositiveInfinity, false),
                _ => new NumericRangeMatcher(first, true, double.PositiveInfinity, false),
            };
        }

        var (secondOp, second) = Comparison(terms[2], terms[3], path);
        if (firstOp is not (">" or ">=") || secondOp is not ("<" or "<="))
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, "\"numeric\" with two comparisons needs a lower bound (> or >=) then an upper bound (< or <=)");
        }

        if (!(first < second))
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, "\"numeric\": the lower bound must be less than the upper bound");
        }

        return new NumericRangeMatcher(first, firstOp == ">=", second, secondOp == "<=");
    }

    private static (string Op, double Value) Comparison(JsonElement op, JsonElement value, string path)
    {
        var name = op.ValueKind == JsonValueKind.String ? op.GetString()! : op.GetRawText();
        if (name is not ("=" or "<" or "<=" or ">" or ">="))
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, $"\"numeric\": unrecognized operator {name}; use =, <, <=, > or >=");
        }

        if (value.ValueKind != JsonValueKind.Number)
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidNumeric, path, $"\"numeric\": the value of {name} must be a number");
        }

        var text = value.GetRawText();
        if (!NumberText.IsComparable(System.Text.Encoding.UTF8.GetBytes(text), out var number))
        {
            throw NotComparable(text, path);
        }

        return (name, number);
    }

    /// <summary>A number that <c>numeric</c> and <c>anything-but</c> take: event-ruler refuses the rule otherwise.</summary>
    private static ExactNumberMatcher ComparableNumber(JsonElement number, string path)
    {
        var text = number.GetRawText();
        var matcher = new ExactNumberMatcher(text);
        return matcher.IsComparable ? matcher : throw NotComparable(text, path);
    }

    private static InvalidPatternException NotComparable(string text, string path)
        => new(PatternErrorCode.NumberOutOfRange, path, $"{text} cannot be compared: it is not a finite double that prints back as the same decimal");

    private static CidrMatcher ParseCidr(JsonElement operand, string path)
    {
        var text = RequireString(operand, path, "cidr");
        // As event-ruler's CIDR.cidr: Java's split("/") (trailing empty parts dropped), Integer.parseInt for the
        // prefix length (a sign and leading zeros allowed), and a prefix shorter than the address.
        var parts = text.Split('/');
        var count = parts.Length;
        while (count > 0 && parts[count - 1].Length == 0)
        {
            count--;
        }

        if (count != 2)
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidCidr, path, $"\"cidr\": malformed block \"{text}\", one '/' required");
        }

        Span<byte> address = stackalloc byte[16];
        if (!IpAddressText.TryParse(System.Text.Encoding.UTF8.GetBytes(parts[0]), address, out var length))
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidCidr, path, $"\"cidr\": \"{parts[0]}\" is not an IP address");
        }

        if (!int.TryParse(parts[1], NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var prefixLength)
            || prefixLength < 0 || prefixLength >= length * 8)
        {
            throw new InvalidPatternException(PatternErrorCode.InvalidCidr, path, $"\"cidr\": prefix length \"{parts[1]}\" must be 0 to {(length * 8) - 1}");
        }

        return new CidrMatcher(text, address[..length].ToArray(), prefixLength);
    }

    private static string RequireString(JsonElement operand, string path, string name)
        => operand.ValueKind == JsonValueKind.String
            ? operand.GetString()!
            : throw new InvalidPatternException(PatternErrorCode.InvalidOperand, path, $"\"{name}\" needs a string");

}
