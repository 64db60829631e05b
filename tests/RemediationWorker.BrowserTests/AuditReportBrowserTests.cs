using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace RemediationWorker.BrowserTests;

/// <summary><c>audit report</c>'s page opened in a real browser (issue 17): the samples' report renders with its
/// verification at the top, each fault's run on its resource's timeline, filters that work, a caused event linked to
/// the run that caused it; no script from the data runs and no request leaves the page.</summary>
public sealed partial class AuditReportBrowserTests : IClassFixture<ChromiumFixture>, IAsyncLifetime, IDisposable
{
    private readonly ChromiumFixture _chromium;
    private readonly ReportFiles _files = new();
    private readonly List<string> _requests = [];
    private readonly List<string> _console = [];
    private string _samples = string.Empty;
    private string _report = string.Empty;

    public AuditReportBrowserTests(ChromiumFixture chromium) => _chromium = chromium;

    public async Task InitializeAsync()
    {
        _samples = await _files.RunSamplesAsync();
        var (report, exit) = await _files.ReportAsync("samples.html", _samples, await _files.WriteStoriesAsync());
        Assert.Equal(0, exit);
        _report = report;
    }

    public Task DisposeAsync() => Task.CompletedTask;

    public void Dispose() => _files.Dispose();

    [Fact]
    public async Task Report_SamplesAlone_HasNoExternalSrcOrHrefAndAPolicyOfNone()
    {
        var (report, exit) = await _files.ReportAsync("samples-alone.html", _samples);
        var html = await File.ReadAllTextAsync(report);

        Assert.Equal(0, exit);
        Assert.Empty(ExternalReference().Matches(html));
        Assert.DoesNotContain("http:", html, StringComparison.Ordinal);
        Assert.DoesNotContain("https:", html, StringComparison.Ordinal);
        Assert.Contains("<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; script-src 'sha256-", html, StringComparison.Ordinal);
        var page = await OpenAsync(report);
        Assert.Equal(
            ["(rejected inputs)", "(worker)", "app-", "inventory-service", "orders-service", "orders; rm -rf", "payments-api", "web-frontend-ci"],
            await GroupNamesAsync(page));
    }

    [Fact]
    public async Task Report_HostileValues_StayInsideTheDataBlock()
    {
        var html = await File.ReadAllTextAsync(_report);

        Assert.Empty(ExternalReference().Matches(html));
        Assert.DoesNotContain("<img", html, StringComparison.Ordinal);
        Assert.DoesNotContain("<svg", html, StringComparison.Ordinal);
        Assert.Equal(2, Regex.Count(html, "<script"));
        Assert.Equal(2, Regex.Count(html, "</script>"));
    }

    [Fact]
    public async Task Report_Samples_RendersVerifiedInChromium()
    {
        var page = await OpenAsync(_report);

        var banner = await page.Locator("#verification-status").InnerTextAsync();
        Assert.StartsWith("Verified: every hash chain is intact (2 file(s), ", banner, StringComparison.Ordinal);
        Assert.DoesNotContain(_console, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Report_TamperedFile_SaysNotVerifiedAtTheTop()
    {
        var (tampered, exit) = await _files.ReportAsync("tampered.html", _files.Tamper(_samples));
        var page = await OpenAsync(tampered);

        Assert.Equal(1, exit);
        var banner = await page.Locator("header #verification-status").InnerTextAsync();
        Assert.StartsWith("NOT VERIFIED: 1 of 1 file(s) do not verify", banner, StringComparison.Ordinal);
        Assert.Contains("hash mismatch", banner, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("payments-api", "stack-drift-revert")]
    [InlineData("orders-service", "stack-rollback-continue")]
    [InlineData("web-frontend-ci", "codebuild-transient-retry")]
    [InlineData("app-", "drift-sweep")]
    public async Task Timeline_Samples_ShowsEachFaultsRun(string resource, string playbook)
    {
        var page = await OpenAsync(_report);

        var group = Group(page, resource);
        Assert.Matches("1 run\\(s\\); .*planned 1", await group.Locator("summary .stats").InnerTextAsync());
        var run = group.Locator("li.event", new LocatorLocatorOptions { HasText = "planned: dry-run: the runbook was planned" });
        Assert.Equal(1, await run.CountAsync());
        Assert.Contains($"playbook: {playbook}", await run.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["received", "matched", "planned"], await run.Locator(".chip").AllInnerTextsAsync());
    }

    [Fact]
    public async Task Timeline_LiveRun_ShowsItsExecutionDurationAndOutcome()
    {
        var page = await OpenAsync(_report);

        var run = Group(page, "billing-service").Locator("li.event", new LocatorLocatorOptions { Has = page.Locator(".run-line", new PageLocatorOptions { HasText = "exec-0001" }) });
        var text = await run.InnerTextAsync();
        Assert.Contains("succeeded (Success) after 95.0 s", text, StringComparison.Ordinal);
        Assert.Equal(["received", "matched", "started", "succeeded"], await run.Locator(".chip").AllInnerTextsAsync());
        var bar = await run.Locator(".bar").BoundingBoxAsync();
        Assert.True(bar is { Width: > 10 }, "the run's duration bar is drawn (its width set through the style object, which the policy allows)");
        Assert.DoesNotContain(_console, m => m.Contains("Content Security Policy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task CausedEvent_LinksToTheRunThatCausedIt()
    {
        var page = await OpenAsync(_report);
        await page.SelectOptionAsync("#filter-decision", "no-match");

        var link = page.Locator("a.caused-link", new PageLocatorOptions { HasText = "exec-0001" });
        await link.ClickAsync();

        var target = page.Locator("li.event.target");
        Assert.Equal(1, await target.CountAsync());
        Assert.Contains("run: exec-0001", await target.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(["received", "matched", "started", "succeeded"], await target.Locator(".chip").AllInnerTextsAsync());
    }

    [Fact]
    public async Task Filters_PlaybookDecisionResourceAndTime_SelectWhatTheySay()
    {
        var page = await OpenAsync(_report);

        await page.SelectOptionAsync("#filter-playbook", "stack-rollback-continue");
        Assert.Equal(["billing-service", "orders-service", "orders; rm -rf"], await GroupNamesAsync(page));

        await page.SelectOptionAsync("#filter-playbook", string.Empty);
        await page.SelectOptionAsync("#filter-decision", "rejected");
        Assert.Equal(["(rejected inputs)"], await GroupNamesAsync(page));
        Assert.Equal(2, await page.Locator("li.event").CountAsync());

        await page.SelectOptionAsync("#filter-decision", string.Empty);
        await page.FillAsync("#filter-resource", "orders-service");
        Assert.Equal(["orders-service"], await GroupNamesAsync(page));
        await page.FillAsync("#filter-resource", "arn:aws:codebuild:*");
        Assert.Equal(["web-frontend-ci"], await GroupNamesAsync(page));

        await page.FillAsync("#filter-resource", string.Empty);
        await page.FillAsync("#filter-since", "2026-11-26T08:01");
        await page.FillAsync("#filter-until", "2026-11-26T08:02");
        Assert.Equal(["billing-service"], await GroupNamesAsync(page));
        Assert.Contains("run: exec-0001", await page.Locator("#timeline").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task HostileValues_AreShownAsTextAndNoScriptFromTheDataRuns()
    {
        var page = await OpenAsync(_report);

        Assert.True(await page.EvaluateAsync<bool>("() => window.__pwned === undefined"));
        Assert.Equal(0, await page.Locator("#timeline img, #timeline svg, #timeline script, #timeline link, #timeline iframe").CountAsync());
        Assert.Equal(2, await page.Locator("script").CountAsync());
        var timeline = await page.Locator("#timeline").InnerTextAsync();
        Assert.All(ReportFiles.Hostile, value => Assert.Contains(value, timeline, StringComparison.Ordinal));
        Assert.Contains(await page.Locator("#timeline summary .name").AllInnerTextsAsync(), name => name == "orders; rm -rf");
    }

    [Fact]
    public async Task Page_MakesNoRequestBeyondItself()
    {
        var page = await OpenAsync(_report);
        await page.SelectOptionAsync("#filter-decision", "skipped");
        await page.Locator("a.caused-link").CountAsync();

        var self = new Uri(_report).AbsoluteUri;
        Assert.Equal([self], _requests.Distinct());
        var external = await page.EvaluateAsync<string[]>(
            "() => Array.from(document.querySelectorAll('[src],[href]')).map(e => e.getAttribute('src') ?? e.getAttribute('href')).filter(v => !v.startsWith('#'))");
        Assert.Empty(external);
    }

    private async Task<IPage> OpenAsync(string report)
    {
        var page = await _chromium.Browser.NewPageAsync(new BrowserNewPageOptions { ViewportSize = new ViewportSize { Width = 1280, Height = 900 } });
        page.Request += (_, request) => _requests.Add(request.Url);
        page.Console += (_, message) => _console.Add(message.Text);
        // Anything but the page itself is refused (and recorded above, so a test sees it was tried).
        var self = new Uri(report).AbsoluteUri;
        await page.RouteAsync("**/*", route => route.Request.Url == self ? route.ContinueAsync() : route.AbortAsync());
        await page.GotoAsync(self);
        await page.WaitForSelectorAsync("body[data-ready=true]", new PageWaitForSelectorOptions { Timeout = 15_000 });
        return page;
    }

    private static ILocator Group(IPage page, string resource) => page.Locator($"details.resource[data-resource=\"{resource}\"]");

    private static async Task<string[]> GroupNamesAsync(IPage page)
        => [.. (await page.Locator("#timeline summary .name").AllInnerTextsAsync()).Order(StringComparer.Ordinal)];

    /// <summary>A tag with a <c>src</c> or <c>href</c> attribute that does not point inside the page.</summary>
    [GeneratedRegex("""<[a-z][^>]*\s(?:src|href)\s*=\s*["']?(?!#)""", RegexOptions.IgnoreCase)]
    private static partial Regex ExternalReference();
}
