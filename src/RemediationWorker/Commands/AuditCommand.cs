using System.CommandLine;
using System.CommandLine.Invocation;
using RemediationWorker.Audit;

namespace RemediationWorker.Commands;

/// <summary><c>audit verify</c> (<see cref="AuditVerifyCommand"/>) and <c>audit query FILE... [filters]</c>; the work is done by
/// <see cref="AuditTimelineVerifier"/> and <see cref="AuditQuery"/>. Usage errors exit with 2, not the parser's 1,
/// which <c>verify</c> uses for a broken chain.</summary>
internal static class AuditCommand
{
    public static Command Create()
    {
        var audit = new Command("audit", "Check and search the hash-chained audit log.");
        audit.Subcommands.Add(AuditVerifyCommand.Create(run => new AuditAction(run)));
        audit.Subcommands.Add(CreateQuery());
        audit.Subcommands.Add(AuditReportCommand.Create());
        return audit;
    }

    private static Command CreateQuery()
    {
        var files = FilesArgument("The audit files, read as one timeline (merged by time).");
        var resource = new Option<string?>("--resource")
        {
            Description = "Only records about this resource: a full ARN, a stack name, a build project, or a prefix ending in '*'.",
        };
        var playbook = new Option<string?>("--playbook") { Description = "Only records of this playbook (exact)." };
        var eventId = new Option<string?>("--event-id") { Description = "Only records about this event id." };
        var decision = new Option<string[]>("--decision")
        {
            Description = "Only these decisions (wire names such as started, failed, no-match); repeat or separate with commas.",
        };
        var since = new Option<string?>("--since") { Description = "Only records at or after this ISO-8601 time (inclusive; UTC when no offset)." };
        var until = new Option<string?>("--until") { Description = "Only records before this ISO-8601 time (exclusive; UTC when no offset)." };
        var format = new Option<string>("--format")
        {
            Description = "table (aligned columns, 120 wide), json (the stored lines, one per line) or csv.",
            DefaultValueFactory = _ => "table",
        };
        format.AcceptOnlyFromAmong("table", "json", "csv");

        var query = new Command(
            "query",
            "Select audit records by resource, playbook, decision, event id and time. "
            + "Exit 0; 1 when a file does not verify (warned on stderr first, its records still shown) or some lines are not "
            + "valid records (skipped, named on stderr); 2 on a usage or file error.");
        query.Arguments.Add(files);
        foreach (var option in new Option[] { resource, playbook, decision, eventId, since, until, format })
        {
            query.Options.Add(option);
        }

        query.Action = new AuditAction(async (parseResult, cancellationToken) =>
        {
            var error = parseResult.InvocationConfiguration.Error;
            if (!AuditQueryFilter.TryCreate(
                    parseResult.GetValue(resource),
                    parseResult.GetValue(playbook),
                    parseResult.GetValue(eventId),
                    parseResult.GetValue(decision),
                    parseResult.GetValue(since),
                    parseResult.GetValue(until),
                    out var filter,
                    out var problem))
            {
                await error.WriteLineAsync($"error: {problem}");
                return ExitCodes.Unreadable;
            }

            var outputFormat = Enum.Parse<AuditQueryFormat>(parseResult.GetValue(format)!, ignoreCase: true);
            var paths = Paths(parseResult.GetRequiredValue(files));
            return await CommandOutput.WithOutputAsync(parseResult, output => AuditQuery.RunAsync(
                paths, filter, outputFormat, output, error, cancellationToken));
        });
        return query;
    }

    private static Argument<FileInfo[]> FilesArgument(string description) => new("files")
    {
        Description = description,
        Arity = ArgumentArity.OneOrMore,
    };

    /// <summary>The paths as the user typed them, so that the report names files the same way; a folder stands for
    /// its <c>*.jsonl</c> files (a chain's segments and open file: one timeline).</summary>
    private static string[] Paths(FileInfo[] files) => [.. files.Select(f => f.ToString()).SelectMany(path => Directory.Exists(path)
        ? (IEnumerable<string>)Directory.EnumerateFiles(path, "*" + AuditSegmentNames.SegmentExtension).Order(StringComparer.Ordinal)
        : [path])];

    /// <summary>Runs the command's work, or reports parse errors with exit code 2.</summary>
    internal sealed class AuditAction : AsynchronousCommandLineAction
    {
        private readonly Func<ParseResult, CancellationToken, Task<int>> _run;

        public AuditAction(Func<ParseResult, CancellationToken, Task<int>> run) => _run = run;

        /// <summary>Lets this action see the parse errors, so that it decides the exit code.</summary>
        public override bool ClearsParseErrors => true;

        public override async Task<int> InvokeAsync(ParseResult parseResult, CancellationToken cancellationToken = default)
        {
            if (parseResult.Errors.Count == 0)
            {
                return await _run(parseResult, cancellationToken);
            }

            var error = parseResult.InvocationConfiguration.Error;
            foreach (var parseError in parseResult.Errors)
            {
                await error.WriteLineAsync($"error: {parseError.Message}");
            }

            await error.WriteLineAsync($"Run 'audit {parseResult.CommandResult.Command.Name} --help' for usage.");
            return ExitCodes.Unreadable;
        }
    }
}
