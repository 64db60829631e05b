using System.Globalization;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;

namespace RemediationWorker.Ledger;

/// <summary>The placeholders of one item's condition and update expressions: every attribute is written as a
/// <c>#name</c> (none can clash with DynamoDB's reserved words) and every value as a <c>:vN</c>.</summary>
internal sealed class ExpressionParts
{
    private readonly Dictionary<string, string> _names = new(StringComparer.Ordinal);
    private readonly Dictionary<string, AttributeValue> _values = new(StringComparer.Ordinal);

    /// <summary>The placeholder of an attribute (or map entry) name.</summary>
    public string this[string attribute]
    {
        get
        {
            var placeholder = "#" + attribute;
            _names[placeholder] = attribute;
            return placeholder;
        }
    }

    public Dictionary<string, string>? Names => _names.Count == 0 ? null : _names;

    public Dictionary<string, AttributeValue>? Values => _values.Count == 0 ? null : _values;

    public string Value(AttributeValue value)
    {
        var placeholder = ":v" + _values.Count.ToString(CultureInfo.InvariantCulture);
        _values[placeholder] = value;
        return placeholder;
    }

    public string Value(long number) => Value(LedgerTable.Number(number));

    public string Value(string text) => Value(LedgerTable.Text(text));

    /// <summary>A transaction's update of one item; a failed condition hands back the item (ALL_OLD) so the
    /// caller can say which condition it was.</summary>
    public Update Update(string table, Dictionary<string, AttributeValue> key, string update, string? condition = null) => new()
    {
        TableName = table,
        Key = key,
        UpdateExpression = update,
        ConditionExpression = condition,
        ExpressionAttributeNames = Names,
        ExpressionAttributeValues = Values,
        ReturnValuesOnConditionCheckFailure = condition is null ? null : ReturnValuesOnConditionCheckFailure.ALL_OLD,
    };

    /// <summary>A transaction's put of a whole item, with ALL_OLD on a failed condition.</summary>
    public Put Put(string table, Dictionary<string, AttributeValue> item, string condition) => new()
    {
        TableName = table,
        Item = item,
        ConditionExpression = condition,
        ExpressionAttributeNames = Names,
        ExpressionAttributeValues = Values,
        ReturnValuesOnConditionCheckFailure = ReturnValuesOnConditionCheckFailure.ALL_OLD,
    };

    /// <summary>The same update as a request of its own.</summary>
    public UpdateItemRequest UpdateItem(string table, Dictionary<string, AttributeValue> key, string update, string? condition = null) => new()
    {
        TableName = table,
        Key = key,
        UpdateExpression = update,
        ConditionExpression = condition,
        ExpressionAttributeNames = Names,
        ExpressionAttributeValues = Values,
    };
}
