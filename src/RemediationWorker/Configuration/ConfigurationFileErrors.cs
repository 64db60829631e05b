using System.Globalization;
using System.Text.Json;

namespace RemediationWorker.Configuration;

/// <summary>Why a configuration document is not JSON, in one line: where (line and column, from 1) and what.</summary>
internal static class ConfigurationFileErrors
{
    public static string Describe(Exception exception)
    {
        for (var inner = (Exception?)exception; inner is not null; inner = inner.InnerException)
        {
            if (inner is JsonException { LineNumber: { } line, BytePositionInLine: { } column } json)
            {
                var what = json.Message.Split(" LineNumber:", 2)[0].ReplaceLineEndings(" ");
                return string.Create(CultureInfo.InvariantCulture, $"line {line + 1}, column {column + 1}: {what}");
            }
        }

        return exception.Message.ReplaceLineEndings(" ");
    }
}
