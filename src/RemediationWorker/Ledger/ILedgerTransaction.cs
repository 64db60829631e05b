using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>One try of a conditional ledger write as one TransactWriteItems (a start, a takeover), and how to read
/// its cancellation: a conflict, or what to mend before the next try (<see cref="DynamoDbLedger"/> runs the tries).</summary>
internal interface ILedgerTransaction
{
    TransactWriteItemsRequest Request { get; }

    /// <summary>What a cancellation with these reasons (one per item, in order) means.</summary>
    StartVerdict Judge(List<CancellationReason> reasons);

    /// <summary>The reason of item <paramref name="index"/> if its condition failed (with the stored item, ALL_OLD).</summary>
    static CancellationReason? Failed(List<CancellationReason> reasons, int index)
        => index < reasons.Count && reasons[index].Code == "ConditionalCheckFailed" ? reasons[index] : null;
}
