using System.Diagnostics.CodeAnalysis;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace RemediationWorker.Playbooks;

/// <summary>One runbook parameter, compiled: literal text and <c>{{path}}</c> placeholders, and the check
/// (maximum length, then the anchored allowed pattern) every rendered value must pass.</summary>
internal sealed class ParameterTemplate
{
    /// <summary>Bounds the time one allowed-pattern check may take, so a hostile value cannot stall the worker.</summary>
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromMilliseconds(100);

    private readonly object[] _parts; // string literals and EventPath placeholders, in order
    private readonly Regex _allowed;

    private ParameterTemplate(string name, object[] parts, Regex allowed, int maxLength)
    {
        Name = name;
        _parts = parts;
        _allowed = allowed;
        MaxLength = maxLength;
    }

    public string Name { get; }

    public int MaxLength { get; }

    public IEnumerable<EventPath> Fields => _parts.OfType<EventPath>();

    /// <summary>Compiles a parameter; the errors name the problem, the caller adds the field.</summary>
    public static bool TryCreate(string name, ParameterOptions options, [NotNullWhen(true)] out ParameterTemplate? template, out List<string> errors)
    {
        template = null;
        errors = [];
        var parts = new List<object>();
        var text = options.Value ?? string.Empty;
        var position = 0;
        while (position < text.Length)
        {
            var open = text.IndexOf("{{", position, StringComparison.Ordinal);
            if (open < 0)
            {
                parts.Add(text[position..]);
                break;
            }

            if (open > position)
            {
                parts.Add(text[position..open]);
            }

            var close = text.IndexOf("}}", open + 2, StringComparison.Ordinal);
            if (close < 0)
            {
                errors.Add($"value: \"{{{{\" at {open} is not closed with \"}}}}\"");
                break;
            }

            if (EventPath.TryParse(text[(open + 2)..close], out var path, out var pathError))
            {
                parts.Add(path);
            }
            else
            {
                errors.Add($"value: placeholder {pathError}");
            }

            position = close + 2;
        }

        if (options.MaxLength is < 1 or > 4096)
        {
            errors.Add($"maxLength: {options.MaxLength} is outside 1..4096");
        }

        Regex? allowed = null;
        if (string.IsNullOrWhiteSpace(options.AllowedPattern))
        {
            errors.Add("allowedPattern: is required; every value is checked before it leaves the process");
        }
        else
        {
            try
            {
                // Alone first: a pattern that only parses inside the anchors (app-)|(?:.* closes the wrapper's group and
                // opens its own) would otherwise escape them and accept anything.
                _ = new Regex(options.AllowedPattern, RegexOptions.CultureInvariant, MatchTimeout);
                allowed = new Regex($"^(?:{options.AllowedPattern})\\z", RegexOptions.CultureInvariant, MatchTimeout); // \z: "$" would accept a final newline
            }
            catch (ArgumentException ex)
            {
                errors.Add($"allowedPattern: is not a valid regular expression ({ex.Message})");
            }
        }

        if (errors.Count > 0 || allowed is null)
        {
            return false;
        }

        template = new ParameterTemplate(name, [.. parts], allowed, options.MaxLength);
        if (parts.All(p => p is string) && !template.TryCheck(text, out var literalError))
        {
            errors.Add($"value: the literal {literalError}");
            template = null;
            return false;
        }

        return true;
    }

    /// <summary>Renders the value from the event and checks it; the error never carries more than a short,
    /// escaped prefix of a rejected value.</summary>
    public bool TryRender(JsonElement root, [NotNullWhen(true)] out string? value, [NotNullWhen(false)] out string? error)
    {
        value = null;
        var builder = new StringBuilder();
        foreach (var part in _parts)
        {
            if (part is string literal)
            {
                builder.Append(literal);
            }
            else if (((EventPath)part).TryRender(root, out var fieldText, out error))
            {
                builder.Append(fieldText);
            }
            else
            {
                return false;
            }
        }

        var rendered = builder.ToString();
        if (!TryCheck(rendered, out error))
        {
            return false;
        }

        value = rendered;
        return true;
    }

    private bool TryCheck(string value, [NotNullWhen(false)] out string? error)
    {
        if (value.Length > MaxLength)
        {
            error = $"value {Describe(value)} is longer than maxLength {MaxLength}";
            return false;
        }

        try
        {
            if (!_allowed.IsMatch(value))
            {
                error = $"value {Describe(value)} does not match allowedPattern {_allowed}";
                return false;
            }
        }
        catch (RegexMatchTimeoutException)
        {
            error = $"value {Describe(value)} took too long to check against allowedPattern";
            return false;
        }

        error = null;
        return true;
    }

    /// <summary>A short, JSON-escaped, length-tagged view of a value for logs and audit reasons.</summary>
    internal static string Describe(string value)
    {
        const int Shown = 40;
        var shown = value.Length <= Shown ? value : value[..Shown];
        var escaped = $"\"{JsonEncodedText.Encode(shown)}\"";
        return value.Length <= Shown ? escaped : $"{escaped}… ({value.Length} chars)";
    }
}
