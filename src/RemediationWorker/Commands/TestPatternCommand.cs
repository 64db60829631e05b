using System.Buffers;
using System.CommandLine;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EventPatterns;

namespace RemediationWorker.Commands;

/// <summary><c>test-pattern</c>: does this pattern match this event? One pair from two files, or
/// JSON lines of pairs.</summary>
/// <remarks>
/// <para><c>--pattern FILE --event FILE</c> prints <c>match</c> (exit 0), <c>no match</c> (exit 1),
/// or the pattern's error, or the event's error after <c>event: </c> (exit 2).</para>
/// <para><c>--cases FILE</c> (<c>-</c> for standard input) reads lines
/// <c>{"pattern": {...}, "event": {...}}</c> and writes one line for each line that is not blank, in
/// order: <c>{"match":true}</c>, <c>{"match":false}</c>, <c>{"invalid":true,"error":"..."}</c> for a
/// refused pattern, or <c>{"error":"..."}</c> for a line that is not such a pair or whose event the
/// matcher refused. Exit 0 once every line is processed.</para>
/// <para>Misuse (neither mode, both, a file that cannot be read) goes to standard error, exit 2.</para>
/// </remarks>
internal static class TestPatternCommand
{
    public const int MatchExitCode = 0;
    public const int NoMatchExitCode = 1;
    public const int ErrorExitCode = 2;

    private const string StandardInput = "-";

    private static readonly JsonDocumentOptions CaseLineOptions = new()
    {
        // Deep events are the matcher's to refuse (MatcherOptions.MaxDepth), with its own message.
        MaxDepth = 1024,
    };

    private static readonly JsonWriterOptions ResultOptions = new()
    {
        // Quotes in error messages stay readable; the output is JSON lines, never embedded in HTML.
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    public static Command Create()
    {
        var pattern = new Option<FileInfo>("--pattern") { Description = "A file holding one event pattern.", HelpName = "FILE" };
        var @event = new Option<FileInfo>("--event") { Description = "A file holding one event.", HelpName = "FILE" };
        var cases = new Option<string>("--cases")
        {
            Description = "A file of JSON lines {\"pattern\": {...}, \"event\": {...}}, or - for standard input.",
            HelpName = "FILE",
        };
        var command = new Command("test-pattern", "Does this pattern match this event? One pair, or JSON lines of pairs.");
        command.Options.Add(pattern);
        command.Options.Add(@event);
        command.Options.Add(cases);
        command.SetAction(parseResult => Run(
            parseResult.GetValue(pattern),
            parseResult.GetValue(@event),
            parseResult.GetValue(cases),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error));
        return command;
    }

    /// <summary>Tests one pattern against one event and prints the outcome.</summary>
    /// <returns><see cref="MatchExitCode"/>, <see cref="NoMatchExitCode"/> or <see cref="ErrorExitCode"/>.</returns>
    public static int TestPair(TextReader pattern, TextReader @event, TextWriter output)
    {
        var outcome = Test(pattern.ReadToEnd(), Encoding.UTF8.GetBytes(@event.ReadToEnd()), [], out var error);
        switch (outcome)
        {
            case PatternTestOutcome.Match:
                output.WriteLine("match");
                return MatchExitCode;
            case PatternTestOutcome.NoMatch:
                output.WriteLine("no match");
                return NoMatchExitCode;
            default:
                output.WriteLine(error);
                return ErrorExitCode;
        }
    }

    /// <summary>Reads pattern and event pairs a line at a time and writes one result line for each
    /// line that is not blank, in order; flushes <paramref name="output"/> at the end.</summary>
    public static void TestCases(TextReader input, TextWriter output)
    {
        var matches = new List<int>();
        var buffer = new ArrayBufferWriter<byte>();
        using var json = new Utf8JsonWriter(buffer, ResultOptions);
        var lineNumber = 0;
        while (input.ReadLine() is { } line)
        {
            lineNumber++;
            if (string.IsNullOrWhiteSpace(line))
            {
                continue;
            }

            buffer.ResetWrittenCount();
            json.Reset();
            json.WriteStartObject();
            WriteCaseResult(json, line, lineNumber, matches);
            json.WriteEndObject();
            json.Flush();
            output.WriteLine(Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        output.Flush();
    }

    private static int Run(FileInfo? pattern, FileInfo? @event, string? cases, TextWriter output, TextWriter error)
    {
        try
        {
            return (pattern, @event, cases) switch
            {
                ({ } patternFile, { } eventFile, null) => TestPairFiles(patternFile, eventFile, output),
                (null, null, { } casesFile) => RunCases(casesFile, output),
                (null, null, null) => Fail(error, "Give --pattern FILE with --event FILE, or --cases FILE."),
                (_, _, not null) => Fail(error, "Give either --pattern with --event, or --cases, not both."),
                (null, _, _) => Fail(error, "--event needs --pattern."),
                _ => Fail(error, "--pattern needs --event."),
            };
        }
        catch (Exception exception) when (exception is IOException or UnauthorizedAccessException)
        {
            return Fail(error, exception.Message);
        }
    }

    private static int Fail(TextWriter error, string message)
    {
        error.WriteLine(message);
        return ErrorExitCode;
    }

    private static int TestPairFiles(FileInfo pattern, FileInfo @event, TextWriter output)
    {
        using var patternReader = pattern.OpenText();
        using var eventReader = @event.OpenText();
        return TestPair(patternReader, eventReader, output);
    }

    private static int RunCases(string cases, TextWriter output)
    {
        using var input = cases == StandardInput
            ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8)
            : new StreamReader(cases, Encoding.UTF8);
        if (ReferenceEquals(output, Console.Out))
        {
            // Console.Out flushes on every write; a million result lines want one buffer, flushed at the end.
            using var standardOutput = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 1 << 16);
            TestCases(input, standardOutput);
        }
        else
        {
            TestCases(input, output);
        }

        return 0;
    }

    private static void WriteCaseResult(Utf8JsonWriter json, string line, int lineNumber, List<int> matches)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line, CaseLineOptions);
        }
        catch (JsonException exception)
        {
            json.WriteString("error", $"line {lineNumber}: {exception.Message}");
            return;
        }

        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object
                || !root.TryGetProperty("pattern", out var pattern)
                || !root.TryGetProperty("event", out var @event))
            {
                json.WriteString("error", $"line {lineNumber}: expected an object with \"pattern\" and \"event\" members");
                return;
            }

            var outcome = Test(pattern.GetRawText(), JsonMarshal.GetRawUtf8Value(@event), matches, out var error);
            switch (outcome)
            {
                case PatternTestOutcome.Match or PatternTestOutcome.NoMatch:
                    json.WriteBoolean("match", outcome == PatternTestOutcome.Match);
                    break;
                case PatternTestOutcome.InvalidPattern:
                    json.WriteBoolean("invalid", true);
                    json.WriteString("error", error);
                    break;
                default:
                    json.WriteString("error", error);
                    break;
            }
        }
    }

    private static PatternTestOutcome Test(string patternJson, ReadOnlySpan<byte> utf8Event, List<int> matches, out string? error)
    {
        if (!EventPattern.TryParse(patternJson, out var pattern, out error))
        {
            return PatternTestOutcome.InvalidPattern;
        }

        matches.Clear();
        if (!PatternMatcher.Compile([pattern]).TryMatch(utf8Event, matches, out var eventError))
        {
            error = $"event: {eventError}";
            return PatternTestOutcome.InvalidEvent;
        }

        return matches.Count > 0 ? PatternTestOutcome.Match : PatternTestOutcome.NoMatch;
    }
}
