namespace RemediationWorker.Replay;

/// <summary>How <c>replay</c> prints verdicts.</summary>
internal enum ReplayFormat
{
    /// <summary>Aligned columns, then the summary tables.</summary>
    Table,

    /// <summary>One JSON object per line per verdict, then one line <c>{"summary": {...}}</c>.</summary>
    Json,
}
