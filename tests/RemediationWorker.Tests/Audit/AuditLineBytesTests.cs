using System.Text;
using RemediationWorker.Audit;

namespace RemediationWorker.Tests.Audit;

/// <summary>The exact bytes of formatted lines, written down from the formatter as it was before the members became
/// one table (commit 07eaa30): the hash rule depends on every byte and the member order.</summary>
public sealed class AuditLineBytesTests
{
    [Fact]
    public void Format_EveryFieldSet_WritesTheBytesOfTheHandWrittenFormatter()
    {
        using var formatter = new AuditLineFormatter();
        formatter.ContinueAfter(Encoding.ASCII.GetBytes(AuditLineBytesCases.PrevHash));

        var line = formatter.Format(AuditLineBytesCases.Full, 12_345);

        Assert.Equal(ExpectedFull, Encoding.UTF8.GetString(line));
        Assert.Equal(Encoding.UTF8.GetBytes(ExpectedFull), line.ToArray());
    }

    [Fact]
    public void Format_FewFields_WritesTheBytesOfTheHandWrittenFormatter()
    {
        using var formatter = new AuditLineFormatter();

        var bare = Encoding.UTF8.GetString(formatter.Format(AuditLineBytesCases.Bare, 1));
        formatter.Commit();
        var planned = Encoding.UTF8.GetString(formatter.Format(AuditLineBytesCases.Planned, 2));

        Assert.Equal(ExpectedBare, bare);
        Assert.Equal(ExpectedPlanned, planned);
    }

    private const string ExpectedFull =
        """{"seq":12345,"time":"2026-12-03T07:45:12.345Z","workerId":"ip-10-0-1-17/1","decision":"partially-fixed","eventId":"evt-\"quoted\"\\back/slash","source":"aws.cloudformation","detailType":"CloudFormation Stack Status Change","account":"123456789012","region":"eu-west-1","input":"day.jsonl:17","resource":"arn:aws:cloudformation:eu-west-1:123456789012:stack/ordérs-<api>&'/8a3c5e10","playbook":"stack-rollback-continue","configHash":"c0ffee12","reason":"line one\nline two\ttab \u0001 control, \uD83D\uDE00 outside the BMP, \uFFFD a lone surrogate, \u2028 separator","guard":"breaker","mode":"live","documentName":"RemediationWorker-ContinueUpdateRollback","documentVersion":"3","parameters":{"StackName":"orders-api","Automation\"Role":"arn:aws:iam::123456789012:role/remediation","Ünïcode":"välue <b>"},"executionId":"5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88","status":"Failed","durationMs":90500,"clientToken":"rw-0123456789abcdef","causedBy":"1a2b3c4d-0000-4c8e-9a7f-3d2b1c0e9f88","retryAt":"2026-12-03T07:50:00.999Z","truncated":{"eventId":{"length":8000,"sha256":"2c26b46b68ffc68ff99b453c1d30413413422d706483bfa0f98a5e886266e7ae"},"parameters.StackName":{"length":2000,"sha256":"fcde2b2edba56bf408601fb721fe9b5c338d10ee429ea04fae5511b68fbf8fb9"}},"prevHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08","hash":"f7fd72ad53be844c122760688856d76bd9b5682766b07be426562611005031c7"}""" + "\n";

    private const string ExpectedBare =
        """{"seq":1,"time":"2025-06-01T12:00:00.123Z","workerId":"worker-1","decision":"config-loaded","configHash":"c0ffee12","prevHash":"0000000000000000000000000000000000000000000000000000000000000000","hash":"62ef6359ee1de27df30176e78c21d0f0ea3aa1dac8360a8e88be59691b14d236"}""" + "\n";

    private const string ExpectedPlanned =
        """{"seq":2,"time":"2025-06-01T12:00:00.000Z","workerId":"worker-1","decision":"planned","eventId":"evt-1","playbook":"stack-rollback-continue","configHash":"c0ffee12","mode":"dry-run","parameters":{"a":"","b":"2"},"durationMs":0,"prevHash":"62ef6359ee1de27df30176e78c21d0f0ea3aa1dac8360a8e88be59691b14d236","hash":"a310f1a73f4356cbf0fa9670115a7535a78e93996e16c18b517f67bae040eb2b"}""" + "\n";
}
