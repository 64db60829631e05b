using System.Text;
using System.Text.RegularExpressions;
using RemediationWorker.Audit;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Audit;

/// <summary>The one table of an audit line's members (<see cref="AuditFields"/>), held to the documentation and to the
/// record it is read into.</summary>
public sealed partial class AuditFieldsTests
{
    [Fact]
    public void InOrder_IsTheDocumentedMemberTable()
    {
        var section = OneLineSection();
        var documented = section.Split('\n')
            .Where(row => row.StartsWith("| `", StringComparison.Ordinal))
            .SelectMany(row => BacktickedName().Matches(row.Split('|')[1]).Select(m => m.Groups[1].Value))
            .ToList();

        Assert.Equal(AuditFields.InOrder.Select(f => f.Name), documented);
    }

    [Fact]
    public void InOrder_RequiredMembersAreTheDocumentedAlwaysThereMembers()
    {
        var always = AlwaysThere().Match(OneLineSection());
        Assert.True(always.Success, "docs/audit-log.md, \"One line\", names the members that are always there");

        Assert.Equal(
            BacktickedName().Matches(always.Value).Select(m => m.Groups[1].Value),
            AuditFields.InOrder.Where(f => f.IsRequired).Select(f => f.Name));
    }

    [Fact]
    public void InOrder_EveryPropertyOfTheStoredRecordIsOneMember()
    {
        var settable = typeof(StoredAuditRecord).GetProperties().Where(p => p.SetMethod is not null).Select(p => p.Name).Order(StringComparer.Ordinal);

        Assert.Equal(settable, AuditFields.InOrder.Select(f => f.Property).Order(StringComparer.Ordinal));
        Assert.Equal(AuditFields.InOrder.Length, AuditFields.InOrder.Select(f => f.Name).Distinct(StringComparer.Ordinal).Count());
        Assert.InRange(AuditFields.InOrder.Length, 1, 64); // the reader keeps the members it saw in one ulong
    }

    [Fact]
    public void InOrder_ChainMembersOpenAndCloseTheLine()
    {
        Assert.Equal("seq", AuditFields.InOrder[0].Name);
        Assert.Equal(["prevHash", "hash"], AuditFields.InOrder[^2..].Select(f => f.Name));
        Assert.Equal(",\"hash\":\"", Encoding.ASCII.GetString(AuditChain.HashMemberPrefix)); // the hash rule's own spelling
    }

    private static string OneLineSection()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "audit-log.md")).ReplaceLineEndings("\n");
        var start = doc.IndexOf("\n## One line\n", StringComparison.Ordinal);
        Assert.True(start >= 0, "docs/audit-log.md has a section \"One line\"");
        var end = doc.IndexOf("\n### ", start + 1, StringComparison.Ordinal);
        return doc[start..end];
    }

    [GeneratedRegex("`([A-Za-z]+)`")]
    private static partial Regex BacktickedName();

    [GeneratedRegex(@"\(`seq`[^)]*are always there\)")]
    private static partial Regex AlwaysThere();
}
