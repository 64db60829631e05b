namespace EventPatterns.Matchers;

/// <summary>The JSON type of an event leaf.</summary>
internal enum LeafKind : byte
{
    String,
    Number,
    True,
    False,
    Null,
}
