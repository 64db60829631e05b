namespace RemediationWorker.Audit;

/// <summary>How <c>audit query</c> prints the records it selects.</summary>
internal enum AuditQueryFormat
{
    /// <summary>Aligned columns for a person, with a count at the end.</summary>
    Table,

    /// <summary>The selected lines exactly as stored, one per line, so that they still verify by hash.</summary>
    Json,

    /// <summary>RFC 4180 comma-separated values with a header row, for spreadsheets.</summary>
    Csv,
}
