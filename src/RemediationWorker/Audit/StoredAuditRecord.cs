using System.Diagnostics.CodeAnalysis;
using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>One line of an audit file as read back by <c>audit verify</c>, <c>audit query</c> and <c>audit report</c>:
/// the record, and the chain members the sink added when it wrote it.</summary>
internal sealed record StoredAuditRecord : AuditRecord
{
    /// <summary>For the reader, which sets every required member or fails.</summary>
    [SetsRequiredMembers]
    private StoredAuditRecord()
    {
        WorkerId = string.Empty;
        ConfigHash = string.Empty;
        PrevHash = string.Empty;
        Hash = string.Empty;
    }

    public required long Seq { get; init; }
    public required string PrevHash { get; init; }
    public required string Hash { get; init; }

    /// <summary>Reads one line's JSON by <see cref="AuditFields"/>. Strict where a forger could hide something: a member
    /// twice (of the line, of its <c>parameters</c> or <c>truncated</c>), a required member missing or <c>null</c>, or a
    /// value not of its member's form make the line invalid; members this version does not know are allowed (the hash
    /// covers them). The hash member's place and the chain's links are <see cref="AuditChain"/>'s to check.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, [NotNullWhen(true)] out StoredAuditRecord? record, [NotNullWhen(false)] out string? problem)
    {
        record = null;
        try
        {
            var json = new Utf8JsonReader(line);
            if (!json.Read() || json.TokenType != JsonTokenType.StartObject)
            {
                problem = "the line is not a JSON object";
                return false;
            }

            var read = new StoredAuditRecord();
            var seen = 0UL; // by index in AuditFields.InOrder
            var previous = -1;
            List<string>? unknown = null;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var field = AuditFields.Find(ref json, previous);
                if (field < 0)
                {
                    var name = json.GetString()!;
                    if ((unknown ??= []).Contains(name, StringComparer.Ordinal))
                    {
                        problem = $"the member {name} appears twice";
                        return false;
                    }

                    unknown.Add(name);
                    json.Read();
                    json.Skip();
                    continue;
                }

                var member = AuditFields.InOrder[field];
                if ((seen & (1UL << field)) != 0)
                {
                    problem = $"the member {member.Name} appears twice";
                    return false;
                }

                seen |= 1UL << field;
                previous = field;
                json.Read();
                if (json.TokenType != JsonTokenType.Null)
                {
                    member.Read(ref json, read);
                }
                else if (member.IsRequired)
                {
                    problem = $"the member {member.Name} is null";
                    return false;
                }
            }

            if (json.Read())
            {
                problem = "more than one JSON value on the line";
                return false;
            }

            for (var i = 0; i < AuditFields.InOrder.Length; i++)
            {
                if (AuditFields.InOrder[i].IsRequired && (seen & (1UL << i)) == 0)
                {
                    problem = $"the member {AuditFields.InOrder[i].Name} is missing";
                    return false;
                }
            }

            record = read;
            problem = null;
            return true;
        }
        catch (Exception ex) when (ex is JsonException or FormatException or InvalidOperationException)
        {
            problem = ex.Message;
            return false;
        }
    }
}
