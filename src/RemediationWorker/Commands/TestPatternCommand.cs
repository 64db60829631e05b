using System.Buffers;
using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using EventPatterns;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Commands;

/// <summary><c>test-pattern</c>: does this pattern match this event? One pair from two files, or
/// JSON lines of pairs.</summary>
/// <remarks>
/// <para><c>--pattern FILE --event FILE</c> prints <c>match</c> (exit 0), <c>no match</c> (exit 1),
/// or the pattern's error or the matcher's error for the event (exit 2).</para>
/// <para><c>--cases FILE</c> (<c>-</c> for standard input) reads lines
/// <c>{"pattern": {...}, "event": {...}}</c> and writes one line for each line that is not blank, in
/// order: <c>{"match":true}</c>, <c>{"match":false}</c>, <c>{"invalid":true,"error":"..."}</c> for a
/// refused pattern (with or without an event, as in event-ruler's <c>cases.jsonl</c>), or
/// <c>{"error":"..."}</c> for a line that is not such a pair or whose event the matcher refused. Other
/// members of a line are ignored. Exit 0 once every line is processed.</para>
/// <para>Misuse (neither mode, both, a file that cannot be read) goes to standard error, exit 2.</para>
/// </remarks>
internal static class TestPatternCommand
{
    public const int MatchExitCode = 0;
    public const int NoMatchExitCode = 1;
    public const int ErrorExitCode = 2;

    private const string StandardInput = "-";
    private const string NotAPair = "expected an object with \"pattern\" and \"event\" members";

    private static readonly JsonDocumentOptions CaseLineOptions = new()
    {
        // Deep events are the matcher's to refuse (MatcherOptions.MaxDepth), with its own message.
        MaxDepth = 1024,
    };

    private static readonly EventLimits Limits = new();

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
        var explain = new Option<bool>("--explain") { Description = "With --pattern and --event: say, field by field, what decided the result." };
        var command = new Command("test-pattern", "Does this pattern match this event? One pair, or JSON lines of pairs.");
        command.Options.Add(pattern);
        command.Options.Add(@event);
        command.Options.Add(cases);
        command.Options.Add(explain);
        command.SetAction((parseResult, _) => CommandOutput.WithOutputAsync(parseResult, output => Task.FromResult(Run(
            parseResult.GetValue(pattern),
            parseResult.GetValue(@event),
            parseResult.GetValue(cases),
            parseResult.GetValue(explain),
            output,
            parseResult.InvocationConfiguration.Error))));
        return command;
    }

    /// <summary>Tests one pattern against one event and prints the outcome.</summary>
    /// <returns><see cref="MatchExitCode"/>, <see cref="NoMatchExitCode"/> or <see cref="ErrorExitCode"/>.</returns>
    /// <param name="explain">After the result, one line per field of the pattern: what decided it (<see cref="PatternExplainer"/>).</param>
    public static int TestPair(TextReader pattern, TextReader @event, TextWriter output, bool explain = false)
    {
        var patternText = pattern.ReadToEnd();
        if (!EventPattern.TryParse(patternText, out var parsed, out var patternError))
        {
            output.WriteLine(patternError.Message);
            return ErrorExitCode;
        }

        var eventBytes = Encoding.UTF8.GetBytes(@event.ReadToEnd());
        if (!TryMatch(parsed, eventBytes, [], out var matched, out var eventError))
        {
            output.WriteLine(eventError.Message);
            return ErrorExitCode;
        }

        output.WriteLine(matched ? "match" : "no match");
        if (explain)
        {
            foreach (var line in PatternExplainer.Create([parsed]).Explain(0, eventBytes))
            {
                output.WriteLine(line);
            }
        }

        return matched ? MatchExitCode : NoMatchExitCode;
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

    private static int Run(FileInfo? pattern, FileInfo? @event, string? cases, bool explain, TextWriter output, TextWriter error)
    {
        try
        {
            return (pattern, @event, cases) switch
            {
                (_, _, not null) when explain => Fail(error, "--explain goes with --pattern and --event, not --cases."),
                ({ } patternFile, { } eventFile, null) => TestPairFiles(patternFile, eventFile, explain, output),
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

    private static int TestPairFiles(FileInfo pattern, FileInfo @event, bool explain, TextWriter output)
    {
        using var patternReader = pattern.OpenText();
        using var eventReader = @event.OpenText();
        return TestPair(patternReader, eventReader, output, explain);
    }

    private static int RunCases(string cases, TextWriter output)
    {
        using var input = cases == StandardInput
            ? new StreamReader(Console.OpenStandardInput(), Encoding.UTF8)
            : new StreamReader(cases, Encoding.UTF8);
        TestCases(input, output);
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
            if (root.ValueKind != JsonValueKind.Object || !root.TryGetProperty("pattern", out var patternJson))
            {
                json.WriteString("error", $"line {lineNumber}: {NotAPair}");
                return;
            }

            // A refused pattern is reported even without an event, as event-ruler's cases.jsonl lists them.
            if (!EventPattern.TryParse(patternJson.GetRawText(), out var pattern, out var patternError))
            {
                json.WriteBoolean("invalid", true);
                json.WriteString("error", patternError.Message);
                return;
            }

            if (!root.TryGetProperty("event", out var @event))
            {
                json.WriteString("error", $"line {lineNumber}: {NotAPair}");
                return;
            }

            if (TryMatch(pattern, JsonMarshal.GetRawUtf8Value(@event), matches, out var matched, out var eventError))
            {
                json.WriteBoolean("match", matched);
            }
            else
            {
                json.WriteString("error", eventError.Message);
            }
        }
    }

    /// <returns>false with <paramref name="error"/> set when the matcher refused the event.</returns>
    private static bool TryMatch(
        EventPattern pattern,
        ReadOnlySpan<byte> utf8Event,
        List<int> matches,
        out bool matched,
        [NotNullWhen(false)] out InvalidPatternException? error)
    {
        matches.Clear();
        matched = false;
        // What run would reject is no match here either. Where the matcher has its own words for the fault (malformed
        // JSON, invalid UTF-8, depth, size: "event is not a JSON object") they are passed on as they are; the rules only
        // the intake has (duplicate members, lone surrogates, array and string lengths) are given as the intake words them.
        var strict = StrictJsonReader.TryCheck(utf8Event, Limits, out var strictError);
        if (!strict && StrictJsonReader.IsIntakeOnlyRule(strictError!))
        {
            error = new InvalidPatternException(PatternErrorCode.EventNotJson, string.Empty, strictError!);
            return false;
        }

        if (!PatternMatcher.Compile([pattern]).TryMatch(utf8Event, matches, out error))
        {
            return false;
        }

        if (!strict)
        {
            error = new InvalidPatternException(PatternErrorCode.EventNotJson, string.Empty, strictError!);
            return false;
        }

        matched = matches.Count > 0;
        return true;
    }
}
