namespace RemediationWorker.Execution;

/// <summary>What became of an execution whose playbook timeout passed: <paramref name="Escalate"/> when it was left
/// running for people to decide (it is still inside one of its runbook's own waits, or its state is unknown);
/// <paramref name="Reason"/> says which, or whether it was stopped.</summary>
internal readonly record struct DeadlineVerdict(bool Escalate, string Reason);
