using System.Text.RegularExpressions;
using Microsoft.Extensions.Options;

namespace RemediationWorker.Ledger;

/// <summary>The ledger rule that spans fields: a DynamoDB store needs a valid table name.</summary>
internal sealed partial class LedgerRulesValidator : IValidateOptions<LedgerOptions>
{
    public ValidateOptionsResult Validate(string? name, LedgerOptions options)
    {
        if (options.Store != LedgerStore.DynamoDb || TableNamePattern().IsMatch(options.TableName))
        {
            return ValidateOptionsResult.Success;
        }

        var builder = new ValidateOptionsResultBuilder();
        builder.AddError(
            string.IsNullOrEmpty(options.TableName)
                ? "is required with Store=DynamoDb: the ledger table (the stack's LedgerTable output), for example remediation-worker-ledger"
                : $"\"{options.TableName}\" is not a DynamoDB table name (3-255 of A-Z a-z 0-9 _ . -)",
            "Ledger.tableName");
        return builder.Build();
    }

    [GeneratedRegex(@"^[A-Za-z0-9_.\-]{3,255}$")]
    private static partial Regex TableNamePattern();
}
