using System.ComponentModel;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Playbooks;

/// <summary>Walks a configuration section against an options type before binding: unknown fields, values
/// that do not convert, and objects where a value belongs, each named by its path
/// (<c>playbooks[drift-revert].limits.cooldown</c>). Binding after a clean check cannot throw.</summary>
internal static class ConfigurationShapeChecker
{
    /// <summary>Properties whose content is free-form JSON and is checked by its own reader.</summary>
    private static readonly HashSet<string> FreeForm = new(StringComparer.OrdinalIgnoreCase) { nameof(PlaybookOptions.Pattern) };

    /// <param name="style">How keys are spelt in the file, as appsettings.schema.json spells them: camelCase in
    /// <c>Remediation</c>, PascalCase elsewhere.</param>
    /// <param name="caseSensitive">Refuse a key spelt otherwise (for a file's own keys, as the schema does; the binder,
    /// and environment variables such as <c>Remediation__KillSwitch</c>, ignore case).</param>
    public static void Check(IConfigurationSection section, Type type, string path, List<string> errors, NameStyle style = NameStyle.Camel, bool caseSensitive = false)
    {
        var properties = type.GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanWrite)
            .ToDictionary(p => p.Name, StringComparer.OrdinalIgnoreCase);

        foreach (var child in section.GetChildren())
        {
            if (child.Key.StartsWith('$'))
            {
                continue; // "$schema" and other editor hints
            }

            var childPath = Join(path, Spell(child.Key, style));
            if (!properties.TryGetValue(child.Key, out var property))
            {
                var known = properties.Keys.Select(k => Spell(k, style)).ToList();
                var nearest = NearestKey.Of(child.Key, known);
                errors.Add($"{childPath}: unknown field{(nearest is null ? string.Empty : $"; did you mean {nearest}?")} (known fields: {string.Join(", ", known)})");
                continue;
            }

            var spelt = Spell(property.Name, style);
            if (caseSensitive && !string.Equals(child.Key, spelt, StringComparison.Ordinal))
            {
                errors.Add($"{Join(path, child.Key)}: is spelt {spelt} (keys are case-sensitive in appsettings.schema.json)");
                continue;
            }

            if (FreeForm.Contains(property.Name))
            {
                continue;
            }

            CheckValue(child, property.PropertyType, Join(path, spelt), errors, style, caseSensitive);
        }
    }

    private static void CheckValue(IConfigurationSection section, Type type, string path, List<string> errors, NameStyle style, bool caseSensitive)
    {
        var children = section.GetChildren().ToList();
        if (IsScalar(type))
        {
            if (children.Count > 0)
            {
                errors.Add($"{path}: expects a single value, not an object or a list");
                return;
            }

            CheckConvertible(section.Value, type, path, errors);
            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(Dictionary<,>))
        {
            var valueType = type.GetGenericArguments()[1];
            foreach (var child in children)
            {
                CheckValue(child, valueType, $"{path}.{child.Key}", errors, style, caseSensitive);
            }

            return;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(List<>))
        {
            var itemType = type.GetGenericArguments()[0];
            if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
            {
                errors.Add($"{path}: expects a list");
                return;
            }

            foreach (var child in children)
            {
                if (!int.TryParse(child.Key, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                {
                    errors.Add($"{path}: expects a list, found the key \"{child.Key}\"");
                    continue;
                }

                CheckValue(child, itemType, $"{path}[{ItemLabel(child)}]", errors, style, caseSensitive);
            }

            return;
        }

        if (children.Count == 0 && !string.IsNullOrEmpty(section.Value))
        {
            errors.Add($"{path}: expects an object");
            return;
        }

        Check(section, type, path, errors, style, caseSensitive);
    }

    /// <summary>A list item is named by its <c>id</c> when it has one, else by its position.</summary>
    internal static string ItemLabel(IConfigurationSection item)
    {
        var id = item["id"];
        return string.IsNullOrWhiteSpace(id) ? item.Key : id;
    }

    private static bool IsScalar(Type type)
        => type.IsPrimitive || type.IsEnum || type == typeof(string) || type == typeof(TimeSpan)
           || (Nullable.GetUnderlyingType(type) is { } inner && IsScalar(inner));

    private static void CheckConvertible(string? value, Type type, string path, List<string> errors)
    {
        if (value is null || type == typeof(string))
        {
            return;
        }

        var target = Nullable.GetUnderlyingType(type) ?? type;
        if (target.IsEnum)
        {
            if (!Enum.GetNames(target).Any(n => string.Equals(n, value, StringComparison.OrdinalIgnoreCase)))
            {
                errors.Add($"{path}: \"{value}\" is not one of {string.Join(", ", Enum.GetNames(target))}{(NearestKey.Of(value, Enum.GetNames(target)) is { } nearest ? $"; did you mean {nearest}?" : string.Empty)}");
            }

            return;
        }

        try
        {
            TypeDescriptor.GetConverter(target).ConvertFromInvariantString(value);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or NotSupportedException or OverflowException
                                       || ex.InnerException is FormatException or OverflowException)
        {
            var expected = target == typeof(TimeSpan) ? "a time span such as 00:15:00"
                : target == typeof(bool) ? "true or false"
                : "a whole number";
            errors.Add($"{path}: \"{value}\" is not {expected}");
        }
    }

    private static string Spell(string name, NameStyle style)
        => style == NameStyle.Camel ? ToCamel(name) : name.Length == 0 || char.IsUpper(name[0]) ? name : char.ToUpperInvariant(name[0]) + name[1..];

    internal static string ToCamel(string name)
        => name.Length == 0 || char.IsLower(name[0]) ? name : char.ToLowerInvariant(name[0]) + name[1..];

    private static string Join(string path, string name) => path.Length == 0 ? name : $"{path}.{name}";
}

/// <summary>How the keys of a section are spelt.</summary>
internal enum NameStyle
{
    /// <summary><c>killSwitch</c>: the Remediation section.</summary>
    Camel,

    /// <summary><c>QueueUrl</c>: the other sections.</summary>
    Pascal,
}
