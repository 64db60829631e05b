using System.CommandLine;
using RemediationWorker.Audit;
using RemediationWorker.Audit.Report;

namespace RemediationWorker.Commands;

/// <summary><c>audit report FILE…|DIR --html OUT</c>: one self-contained HTML page of the audit (the work is done by
/// <see cref="AuditReportData"/> and <see cref="AuditReportPage"/>). Exit 0 when written and every file verifies;
/// 1 when written but a file does not verify (warned on stderr, and at the top of the page); 2 on a usage error or
/// an input that cannot be read, or an output that cannot be written.</summary>
internal static class AuditReportCommand
{
    public static Command Create()
    {
        var inputs = new Argument<string[]>("inputs")
        {
            Description = "Audit files, or directories whose *.jsonl files are read; all as one timeline.",
            Arity = ArgumentArity.OneOrMore,
        };
        var html = new Option<FileInfo>("--html") { Description = "The page to write.", Required = true };
        var report = new Command(
            "report",
            "Write one self-contained HTML page: verification status, per resource a timeline of events, decisions, runs, "
            + "durations and outcomes, with filters. Exit 0; 1 when a file does not verify (the page says so at the top); 2 on a usage or file error.");
        report.Arguments.Add(inputs);
        report.Options.Add(html);
        report.Action = new AuditCommand.AuditAction((parseResult, cancellationToken) => RunAsync(
            parseResult.GetRequiredValue(inputs),
            parseResult.GetRequiredValue(html).ToString(),
            parseResult.InvocationConfiguration.Output,
            parseResult.InvocationConfiguration.Error,
            TimeProvider.System,
            cancellationToken));
        return report;
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<string> inputs, string htmlPath, TextWriter output, TextWriter error, TimeProvider timeProvider, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        ArgumentNullException.ThrowIfNull(timeProvider);
        if (AuditReportInputs.Expand(inputs, out var problem) is not { } files)
        {
            await error.WriteLineAsync($"error: {problem}");
            return ExitCodes.Unreadable;
        }

        try
        {
            var data = await AuditReportData.ReadAsync(files, cancellationToken);
            var unverified = await AuditFileCheck.WarnAsync(data.Files.Where(f => f.Verification is not null).Select(f => f.Verification!), error);
            foreach (var file in data.Files.Where(f => f.SkippedLines > 0))
            {
                await error.WriteLineAsync($"warning: {file.Path}: {file.SkippedLines} line(s) are not valid records and are left out");
                unverified = true;
            }

            long bytes;
            await using (var page = new FileStream(htmlPath, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16))
            {
                await AuditReportPage.WriteAsync(data, page, timeProvider.GetUtcNow(), cancellationToken);
                bytes = page.Length;
            }

            await output.WriteLineAsync($"wrote {htmlPath}: {data.RecordCount} records from {files.Count} file(s), {bytes} bytes{(unverified ? "; NOT VERIFIED" : string.Empty)}");
            return unverified ? ExitCodes.Finding : ExitCodes.Done;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await error.WriteLineAsync($"error: {ex.Message}");
            return ExitCodes.Unreadable;
        }
    }
}
