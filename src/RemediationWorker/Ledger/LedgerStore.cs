namespace RemediationWorker.Ledger;

/// <summary><c>Ledger:Store</c>: where the state shared by replicas lives.</summary>
internal enum LedgerStore
{
    /// <summary>In this process (one replica, local runs): <see cref="InMemoryLedger"/>.</summary>
    InMemory,

    /// <summary>A DynamoDB table (<c>Ledger:TableName</c>) shared by every replica: <see cref="DynamoDbLedger"/>.</summary>
    DynamoDb,
}
