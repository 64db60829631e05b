using RemediationWorker.Execution;

namespace RemediationWorker.Tests.Execution;

/// <summary>The contract with the runbooks (docs/playbooks.md): markers in the failure message and the
/// <c>&lt;Step&gt;.CausedIds</c> outputs.</summary>
public sealed class AutomationOutcomeTests
{
    [Theory]
    [InlineData("Step fails when it is Verification. Refused: nested stack orders-db", RunbookStatus.Refused)]
    [InlineData("PartiallyFixed: drift remains on Bucket, Queue", RunbookStatus.PartiallyFixed)]
    [InlineData("ContinueUpdateRollback failed: the stack is in UPDATE_ROLLBACK_FAILED", RunbookStatus.Failed)]
    [InlineData("refused: lower case is not the marker", RunbookStatus.Failed)]
    public void Classify_FailedWithMessage_MarkerDecides(string message, object expected)
        => Assert.Equal((RunbookStatus)expected, AutomationStatuses.Classify(RunbookStatus.Failed, message));

    [Fact]
    public void Classify_TimedOutOrSucceeded_NotReclassifiedByTheirText()
    {
        Assert.Equal(RunbookStatus.TimedOut, AutomationStatuses.Classify(RunbookStatus.TimedOut, "Refused: x"));
        Assert.Equal(RunbookStatus.Succeeded, AutomationStatuses.Classify(RunbookStatus.Succeeded, null));
    }

    [Fact]
    public void CausedIds_OutputsOfEverySteps_OnlyCausedIdsOnceEach()
    {
        var outputs = new Dictionary<string, List<string>>
        {
            ["ContinueRollback.CausedIds"] = ["RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-1"],
            ["ContinueRollbackSkipping.CausedIds"] = ["RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-2", "RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-1", ""],
            ["ContinueRollback.Token"] = ["not-caused"],
        };

        Assert.Equal(
            ["RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-1", "RemediationWorker-5f6c1e2a-0b4d-4c8e-9a7f-3d2b1c0e9f88-2"],
            AutomationStatuses.CausedIds(outputs));
    }
}
