namespace RemediationWorker.Audit;

/// <summary>Where a file's chain starts: the seq of its first line and the <c>prevHash</c> that line must carry,
/// with what that hash is, for the message when it does not.</summary>
internal sealed record AuditChainStart(long FirstSeq, string PrevHash, string Describe)
{
    public static readonly AuditChainStart Genesis = new(1, new string('0', AuditChain.HashLength), "the genesis hash (64 zeros)");
}
