namespace RemediationWorker.Intake;

/// <summary>Command-line switches of <c>run</c>.</summary>
/// <param name="Once">Drain the local source and exit.</param>
internal sealed record RunSettings(bool Once);
