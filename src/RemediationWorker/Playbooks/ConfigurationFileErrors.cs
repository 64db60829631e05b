using System.Globalization;
using System.Text.Json;

namespace RemediationWorker.Playbooks;

/// <summary>A configuration file that cannot be read, in one line: for broken JSON, where (line and column, from 1).</summary>
internal static class ConfigurationFileErrors
{
    public static string Describe(Exception exception)
    {
        for (var inner = exception.InnerException; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { LineNumber: { } line, BytePositionInLine: { } column } json)
            {
                var what = json.Message.Split(" LineNumber:", 2)[0].ReplaceLineEndings(" ");
                var file = exception.Message.Split(" is not valid JSON", 2)[0];
                return string.Create(CultureInfo.InvariantCulture, $"{file} is not valid JSON: line {line + 1}, column {column + 1}: {what}");
            }
        }

        return exception.Message.ReplaceLineEndings(" ");
    }
}
