namespace RemediationWorker.Diagnostics;

/// <summary>What <c>health</c> prints: healthy or not, and why.</summary>
internal sealed record HealthReport(bool IsHealthy, string Reason)
{
    public override string ToString() => (IsHealthy ? "healthy: " : "unhealthy: ") + Reason;
}
