namespace RemediationWorker.Ledger;

/// <summary>Who remediates a resource, until when. An expired lease is free: a replica that died does not
/// block the resource for longer than the playbook's timeout.</summary>
internal sealed record LeaseState(string Owner, DateTimeOffset Until)
{
    public bool IsHeldAt(DateTimeOffset now) => now < Until;
}
