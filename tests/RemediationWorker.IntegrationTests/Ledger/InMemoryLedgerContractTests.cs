using RemediationWorker.Ledger;

namespace RemediationWorker.IntegrationTests.Ledger;

/// <summary>The ledger contract on the in-memory store.</summary>
public sealed class InMemoryLedgerContractTests : LedgerContract
{
    internal override Task<ILedger> CreateAsync() => Task.FromResult<ILedger>(new InMemoryLedger());
}
