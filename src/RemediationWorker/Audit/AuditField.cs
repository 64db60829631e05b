using System.Reflection;
using System.Runtime.CompilerServices;
using System.Text.Json;

namespace RemediationWorker.Audit;

/// <summary>One member of an audit line (<see cref="AuditFields"/>): its wire name, how the line formatter writes it and
/// how the reader reads it back. A record's field is bound to its property on <see cref="AuditRecord"/>, a chain member
/// to <see cref="StoredAuditRecord"/>; whether the member is required is the property's <c>required</c>.</summary>
/// <remarks>The properties are init-only, which C# lets only initializers, `with` and constructors set; the reader sets them one
/// member at a time through delegates made once from the accessors (no reflection per record).</remarks>
internal abstract class AuditField
{
    private readonly byte[] _utf8Name;

    private AuditField(string name, PropertyInfo property)
    {
        Name = name;
        Property = property.Name;
        EncodedName = JsonEncodedText.Encode(name);
        _utf8Name = EncodedName.EncodedUtf8Bytes.ToArray();
        IsRequired = property.IsDefined(typeof(RequiredMemberAttribute), inherit: false);
    }

    /// <summary>The wire name.</summary>
    public string Name { get; }

    /// <summary>The property of <see cref="AuditRecord"/> or <see cref="StoredAuditRecord"/> it is bound to.</summary>
    public string Property { get; }

    /// <summary>Whether every line has the member, and never as <c>null</c>.</summary>
    public bool IsRequired { get; }

    protected JsonEncodedText EncodedName { get; }

    /// <summary>Whether the reader is on this member's name (escaped or not, as JSON allows).</summary>
    public bool IsNamedBy(ref Utf8JsonReader json) => json.ValueTextEquals(_utf8Name);

    /// <summary>Writes the member when it has a value; <paramref name="seq"/> and <paramref name="prevHash"/> are the
    /// chain's.</summary>
    public abstract void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash);

    /// <summary>Reads the member's value, the reader on it (never <c>null</c>: the reader decides about that), into
    /// <paramref name="record"/>; throws <see cref="JsonException"/> or <see cref="FormatException"/> when the value is
    /// not of the member's form.</summary>
    public abstract void Read(ref Utf8JsonReader json, StoredAuditRecord record);

    /// <summary>Text that may come from outside (an event, an AWS answer): <see cref="AuditRecordBounds"/> cuts it to
    /// keep the line short.</summary>
    public static AuditField Text(string name, string property) => new TextField(name, property, isCut: true);

    /// <summary>The worker's own text (its id, the configuration's hash, its tokens), short by construction: never cut.</summary>
    public static AuditField OwnText(string name, string property) => new TextField(name, property, isCut: false);

    public static AuditField Time(string name, string property) => new TimeField(name, property);

    public static AuditField OptionalTime(string name, string property) => new OptionalTimeField(name, property);

    public static AuditField Decision(string name, string property) => new DecisionField(name, property);

    public static AuditField Parameters(string name, string property) => new ParametersField(name, property);

    public static AuditField Milliseconds(string name, string property) => new MillisecondsField(name, property);

    public static AuditField Truncated(string name, string property) => new TruncatedMembersField(name, property);

    /// <summary>The record's place in the chain, written from the formatter's count.</summary>
    public static AuditField Seq(string name, string property) => new SeqField(name, property);

    /// <summary>The previous line's hash, written from the formatter's head.</summary>
    public static AuditField PrevHash(string name, string property) => new PrevHashField(name, property);

    /// <summary>The line's own hash: last, and written by the formatter itself, since it covers every member before it.</summary>
    public static AuditField Hash(string name, string property) => new HashField(name, property);

    private static void Expect(ref Utf8JsonReader json, JsonTokenType token, string name)
    {
        if (json.TokenType != token)
        {
            throw new JsonException($"{name} is {json.TokenType}, not {token}");
        }
    }

    /// <summary>A field bound to a property of <typeparamref name="TOwner"/> of type <typeparamref name="T"/>.</summary>
    internal abstract class Bound<TOwner, T> : AuditField
    {
        protected Bound(string name, string property)
            : this(name, typeof(TOwner).GetProperty(property) ?? throw new ArgumentException($"{typeof(TOwner).Name} has no property {property}", nameof(property)))
        {
        }

        private Bound(string name, PropertyInfo property)
            : base(name, property)
        {
            Get = property.GetMethod!.CreateDelegate<Func<TOwner, T>>();
            Set = property.SetMethod!.CreateDelegate<Action<TOwner, T>>();
        }

        protected Func<TOwner, T> Get { get; }

        protected Action<TOwner, T> Set { get; }
    }

    /// <summary>A text member.</summary>
    internal sealed class TextField(string name, string property, bool isCut) : Bound<AuditRecord, string?>(name, property)
    {
        /// <summary>Whether <see cref="AuditRecordBounds"/> cuts it.</summary>
        public bool IsCut { get; } = isCut;

        public string? ValueOf(AuditRecord record) => Get(record);

        /// <summary>Sets the member of a record nobody else holds yet (a copy being made).</summary>
        public void Initialize(AuditRecord record, string? value) => Set(record, value);

        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
        {
            if (Get(record) is { } value)
            {
                json.WriteString(EncodedName, value);
            }
        }

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.String, Name);
            Set(record, json.GetString());
        }
    }

    private sealed class TimeField(string name, string property) : Bound<AuditRecord, DateTimeOffset>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
            => WriteTime(json, EncodedName, Get(record));

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.String, Name);
            Set(record, json.GetDateTimeOffset());
        }

        /// <summary>ISO-8601 in UTC with milliseconds (<see cref="AuditChain.TimeFormat"/>).</summary>
        public static void WriteTime(Utf8JsonWriter json, JsonEncodedText name, DateTimeOffset time)
        {
            Span<byte> text = stackalloc byte[AuditChain.TimeLength];
            json.WriteString(name, text[..AuditChain.FormatTime(time, text)]);
        }
    }

    private sealed class OptionalTimeField(string name, string property) : Bound<AuditRecord, DateTimeOffset?>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
        {
            if (Get(record) is { } time)
            {
                TimeField.WriteTime(json, EncodedName, time);
            }
        }

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.String, Name);
            Set(record, json.GetDateTimeOffset());
        }
    }

    private sealed class DecisionField(string name, string property) : Bound<AuditRecord, AuditDecision>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
            => json.WriteString(EncodedName, AuditDecisions.EncodedWireName(Get(record)));

        /// <summary>A decision this version does not know makes the line invalid: the decisions are a closed list
        /// (docs/audit-log.md), only ever extended, and a reader that passed an unknown one could neither filter nor
        /// explain it.</summary>
        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.String, Name);
            Set(record, AuditDecisions.TryRead(ref json, out var decision)
                ? decision
                : throw new JsonException($"{Name} '{json.GetString()}' is not one of this version's decisions"));
        }
    }

    private sealed class ParametersField(string name, string property) : Bound<AuditRecord, IReadOnlyDictionary<string, string>?>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
        {
            if (Get(record) is not { } parameters)
            {
                return;
            }

            json.WriteStartObject(EncodedName);
            if (parameters is Dictionary<string, string> dictionary)
            {
                foreach (var (parameter, value) in dictionary) // the struct enumerator: no allocation per record
                {
                    json.WriteString(parameter, value);
                }
            }
            else
            {
                foreach (var (parameter, value) in parameters)
                {
                    json.WriteString(parameter, value);
                }
            }

            json.WriteEndObject();
        }

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.StartObject, Name);
            var parameters = new Dictionary<string, string>(StringComparer.Ordinal);
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var parameter = json.GetString()!;
                json.Read();
                Expect(ref json, JsonTokenType.String, $"{Name}.{parameter}");
                if (!parameters.TryAdd(parameter, json.GetString()!))
                {
                    throw new JsonException($"the member {Name}.{parameter} appears twice");
                }
            }

            Set(record, parameters);
        }
    }

    private sealed class MillisecondsField(string name, string property) : Bound<AuditRecord, TimeSpan?>(name, property)
    {
        private static readonly long Longest = (long)TimeSpan.MaxValue.TotalMilliseconds;

        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
        {
            if (Get(record) is { } duration)
            {
                json.WriteNumber(EncodedName, AuditRecord.WholeMilliseconds(duration));
            }
        }

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.Number, Name);
            var milliseconds = json.GetInt64();
            if (milliseconds > Longest || milliseconds < -Longest)
            {
                throw new JsonException($"{Name} {milliseconds} is beyond any duration");
            }

            Set(record, TimeSpan.FromMilliseconds(milliseconds));
        }
    }

    private sealed class TruncatedMembersField(string name, string property) : Bound<AuditRecord, IReadOnlyDictionary<string, TruncatedField>?>(name, property)
    {
        private static readonly JsonEncodedText LengthName = JsonEncodedText.Encode("length");
        private static readonly JsonEncodedText Sha256Name = JsonEncodedText.Encode("sha256");

        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
        {
            if (Get(record) is not { } truncated)
            {
                return;
            }

            json.WriteStartObject(EncodedName);
            foreach (var (member, field) in truncated)
            {
                json.WriteStartObject(member);
                json.WriteNumber(LengthName, field.Length);
                json.WriteString(Sha256Name, field.Sha256);
                json.WriteEndObject();
            }

            json.WriteEndObject();
        }

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.StartObject, Name);
            var truncated = new Dictionary<string, TruncatedField>(StringComparer.Ordinal);
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                var member = json.GetString()!;
                json.Read();
                if (!truncated.TryAdd(member, ReadOne(ref json, $"{Name}.{member}")))
                {
                    throw new JsonException($"the member {Name}.{member} appears twice");
                }
            }

            Set(record, truncated);
        }

        private static TruncatedField ReadOne(ref Utf8JsonReader json, string path)
        {
            Expect(ref json, JsonTokenType.StartObject, path);
            int? length = null;
            string? sha256 = null;
            while (json.Read() && json.TokenType == JsonTokenType.PropertyName)
            {
                if (json.ValueTextEquals(LengthName.EncodedUtf8Bytes))
                {
                    json.Read();
                    Expect(ref json, JsonTokenType.Number, $"{path}.length");
                    length = length is null ? json.GetInt32() : throw new JsonException($"the member {path}.length appears twice");
                }
                else if (json.ValueTextEquals(Sha256Name.EncodedUtf8Bytes))
                {
                    json.Read();
                    Expect(ref json, JsonTokenType.String, $"{path}.sha256");
                    sha256 = sha256 is null ? json.GetString() : throw new JsonException($"the member {path}.sha256 appears twice");
                }
                else
                {
                    json.Read();
                    json.Skip();
                }
            }

            return new TruncatedField(
                length ?? throw new JsonException($"{path} has no length"),
                sha256 ?? throw new JsonException($"{path} has no sha256"));
        }
    }

    private sealed class SeqField(string name, string property) : Bound<StoredAuditRecord, long>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
            => json.WriteNumber(EncodedName, seq);

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.Number, Name);
            Set(record, json.GetInt64());
        }
    }

    private sealed class PrevHashField(string name, string property) : Bound<StoredAuditRecord, string>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
            => json.WriteString(EncodedName, prevHash);

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.String, Name);
            Set(record, json.GetString()!);
        }
    }

    private sealed class HashField(string name, string property) : Bound<StoredAuditRecord, string>(name, property)
    {
        public override void Write(Utf8JsonWriter json, AuditRecord record, long seq, ReadOnlySpan<byte> prevHash)
        {
            // AuditLineFormatter appends it after hashing the rest.
        }

        public override void Read(ref Utf8JsonReader json, StoredAuditRecord record)
        {
            Expect(ref json, JsonTokenType.String, Name);
            Set(record, json.GetString()!);
        }
    }
}
