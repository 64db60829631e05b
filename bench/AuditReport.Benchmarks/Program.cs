using System.Diagnostics;
using System.Globalization;
using AuditReport.Benchmarks;
using Microsoft.Playwright;
using RemediationWorker.Commands;

// dotnet run -c Release --project bench/AuditReport.Benchmarks -- [RECORDS] [--keep DIR]
var records = args.Length > 0 && int.TryParse(args[0], CultureInfo.InvariantCulture, out var n) ? n : 100_000;
var keep = Array.IndexOf(args, "--keep") is var k and >= 0 && k + 1 < args.Length ? args[k + 1] : null;
var directory = keep ?? Directory.CreateTempSubdirectory("audit-report-bench-").FullName;
Directory.CreateDirectory(directory);
var audit = Path.Combine(directory, "audit.jsonl");
var html = Path.Combine(directory, "report.html");

var written = await SyntheticAudit.WriteAsync(audit, records);
Console.Error.WriteLine($"wrote {written} records, {new FileInfo(audit).Length:N0} bytes of audit");

// Generation: the command as a user runs it, in this process (warm-up excluded: one small run first).
await AuditReportCommand.RunAsync([audit], html, TextWriter.Null, Console.Error, TimeProvider.System, CancellationToken.None);
var process = Process.GetCurrentProcess();
var cpuBefore = process.TotalProcessorTime;
var wall = Stopwatch.StartNew();
var exit = await AuditReportCommand.RunAsync([audit], html, TextWriter.Null, Console.Error, TimeProvider.System, CancellationToken.None);
wall.Stop();
process.Refresh();
var cpu = process.TotalProcessorTime - cpuBefore;
Console.WriteLine($"records {written}");
Console.WriteLine($"generate_wall_s {wall.Elapsed.TotalSeconds:F2}");
Console.WriteLine($"generate_cpu_s {cpu.TotalSeconds:F2}");
Console.WriteLine($"page_bytes {new FileInfo(html).Length}");
if (exit != 0)
{
    Console.Error.WriteLine($"audit report exited {exit}");
    return 1;
}

using var playwright = await Playwright.CreateAsync();
await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
{
    ExecutablePath = "/usr/bin/chromium",
    Headless = true,
    Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
});
for (var run = 1; run <= 3; run++)
{
    var page = await browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
    var open = Stopwatch.StartNew();
    await page.GotoAsync(new Uri(html).AbsoluteUri, new PageGotoOptions { WaitUntil = WaitUntilState.Commit });
    await page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 60_000 });
    open.Stop();

    // From the navigation's start to the end of the first render, by the page's own clock.
    var interactive = await page.EvaluateAsync<double>("() => Number(document.body.dataset.readyAt)");
    var scriptMs = await page.EvaluateAsync<double>("() => Number(document.body.dataset.readyMs)");
    Console.WriteLine($"run {run} interactive_ms {interactive:F0} script_ms {scriptMs:F0} wall_until_ready_ms {open.Elapsed.TotalMilliseconds:F0}");

    // Each filter: set the control, fire its event, force layout; timed inside the page.
    foreach (var (name, script) in Filters)
    {
        var ms = await page.EvaluateAsync<double>(script);
        Console.WriteLine($"run {run} filter_{name}_ms {ms:F1}");
    }

    await page.CloseAsync();
}

if (keep is null)
{
    Directory.Delete(directory, recursive: true);
}

return 0;

internal static partial class Program
{
    private const string Apply = "const t = performance.now(); c.dispatchEvent(new Event(e)); document.body.offsetHeight; return performance.now() - t;";

    private static readonly (string Name, string Script)[] Filters =
    [
        ("playbook", "() => { const c = document.getElementById('filter-playbook'), e = 'change'; c.value = 'stack-rollback-continue'; " + Apply + " }"),
        ("decision", "() => { const c = document.getElementById('filter-decision'), e = 'change'; c.value = 'failed'; " + Apply + " }"),
        ("resource", "() => { const c = document.getElementById('filter-resource'), e = 'input'; c.value = 'app-stack-0042'; " + Apply + " }"),
        ("time", "() => { const c = document.getElementById('filter-since'), e = 'change'; c.value = '2026-11-26T12:00'; " + Apply + " }"),
        ("clear", "() => { const c = document.getElementById('filter-clear'), e = 'click'; " + Apply + " }"),
    ];
}
