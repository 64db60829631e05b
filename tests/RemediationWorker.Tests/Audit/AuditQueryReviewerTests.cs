using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary><c>audit query</c> as a reviewer uses it: resources by the names people know, a warning before the
/// records of a file that does not verify, a table within 120 columns, CSV a spreadsheet cannot be tricked by.</summary>
public sealed class AuditQueryReviewerTests : IDisposable
{
    private const string Stack = "arn:aws:cloudformation:eu-west-1:111122223333:stack/orders-service/7e1d5c20-6f1d-11ef-b2f4-0e9a8b7c6d5e";
    private const string Build = "arn:aws:codebuild:eu-west-1:111122223333:build/web-frontend-ci:6c9d7a2f-3e5b-4d4c-8f9a-8b7c6d5e4f3a";

    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Theory]
    [InlineData("orders-service", Stack, true)]
    [InlineData(Stack, Stack, true)]
    [InlineData("orders-*", Stack, true)]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/orders-service/*", Stack, true)]
    [InlineData("orders", Stack, false)]
    [InlineData("7e1d5c20-6f1d-11ef-b2f4-0e9a8b7c6d5e", Stack, false)]
    [InlineData("web-frontend-ci", Build, true)]
    [InlineData("web-frontend-ci", "web-frontend-ci", true)]
    [InlineData("web-*", "web-frontend-ci", true)]
    [InlineData("web-frontend-ci", "arn:aws:codebuild:eu-west-1:111122223333:project/web-frontend-ci", true)]
    [InlineData("*", "anything", true)]
    [InlineData("orders-service", null, false)]
    public void Matches_ResourceForms_AsPeopleNameThem(string query, string? resource, bool expected)
        => Assert.Equal(expected, ResourceNames.Matches(query, resource));

    [Fact]
    public async Task RunAsync_FileDoesNotVerify_WarnsFirstPrintsRecordsAndReturns1()
    {
        var path = _dir.File("audit.jsonl");
        var lines = await AuditTestData.WriteChainAsync(path, 3);
        AuditTestData.WriteLines(path, [lines[0], lines[1].Replace("\"decision\":\"matched\"", "\"decision\":\"started\"", StringComparison.Ordinal), lines[2]]);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await AuditQuery.RunAsync([path], AuditQueryFilter.All, AuditQueryFormat.Json, output, error, CancellationToken.None);

        Assert.Equal(1, exit);
        Assert.StartsWith($"warning: {path} does not verify: broken at line 2: ", error.ToString());
        Assert.Equal(3, output.ToString().TrimEnd('\n').Split('\n').Length);
    }

    [Fact]
    public async Task RunAsync_IntactFile_NoWarning()
    {
        var path = _dir.File("audit.jsonl");
        await AuditTestData.WriteChainAsync(path, 3);
        var error = new StringWriter();

        var exit = await AuditQuery.RunAsync([path], AuditQueryFilter.All, AuditQueryFormat.Table, new StringWriter(), error, CancellationToken.None);

        Assert.Equal(0, exit);
        Assert.Empty(error.ToString());
    }

    [Fact]
    public async Task RunAsync_TableOfLongValues_FitsIn120Columns()
    {
        var path = _dir.File("audit.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            var record = AuditTestData.Record(AuditTestData.Start, AuditDecision.Failed, Stack, new string('p', 200), new string('e', 300), "a reason\nwith a line break " + new string('r', 400));
            await sink.WriteAsync(record with { ExecutionId = new string('x', 36), Status = "Failed" }, CancellationToken.None);
        }

        var output = new StringWriter();
        await AuditQuery.RunAsync([path], AuditQueryFilter.All, AuditQueryFormat.Table, output, new StringWriter(), CancellationToken.None);

        var rows = output.ToString().TrimEnd('\n').Split('\n');
        Assert.Equal(3, rows.Length);
        Assert.All(rows, row => Assert.InRange(row.Length, 1, AuditQueryTable.MaxWidth));
        Assert.Contains("orders-service", rows[1], StringComparison.Ordinal);
        Assert.Contains("Failed: a reason with", rows[1], StringComparison.Ordinal);
        Assert.Contains("…", rows[1], StringComparison.Ordinal);
    }

    [Fact]
    public async Task RunAsync_Csv_QuotesFieldsAndDisarmsFormulas()
    {
        var path = _dir.File("audit.jsonl");
        await using (var sink = AuditTestData.OpenSink(path))
        {
            await sink.WriteAsync(AuditTestData.Record(AuditTestData.Start, AuditDecision.Skipped, "=HYPERLINK(\"http://x\")", "p", "e-1", "a, \"quoted\"\nreason"), CancellationToken.None);
        }

        var output = new StringWriter();
        var exit = await AuditQuery.RunAsync([path], AuditQueryFilter.All, AuditQueryFormat.Csv, output, new StringWriter(), CancellationToken.None);

        Assert.Equal(0, exit);
        var text = output.ToString();
        Assert.StartsWith("seq,time,decision,playbook,resource,eventId,input,reason,guard,status,durationMs,executionId,causedBy,workerId\n", text);
        Assert.Contains(",skipped,p,\"'=HYPERLINK(\"\"http://x\"\")\",e-1,,\"a, \"\"quoted\"\"\nreason\",", text, StringComparison.Ordinal);
    }
}
