namespace RemediationWorker.Intake;

/// <summary>Command-line switches that shape a run.</summary>
/// <param name="Once">Drain the local source and exit (<c>run --once</c>).</param>
/// <param name="DryRunOnly">Plan every run whatever the configured modes say (<c>replay</c>).</param>
internal sealed record RunSettings(bool Once, bool DryRunOnly = false);
