using System.Text.Json;
using Microsoft.Extensions.Logging;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Escalation;

/// <summary>Opens the OpsItem of an escalation (live runs of playbooks with escalation enabled). It answers whether
/// the escalation landed: one that could not be created is the caller's to defer and retry, never to drop; the
/// OpsItem's de-duplication key makes a retry join the item instead of opening a second.</summary>
internal sealed class Escalator
{
    private readonly IEscalationSink? _sink;
    private readonly RunSettings _settings;
    private readonly ILogger<Escalator> _logger;

    public Escalator(IEnumerable<IEscalationSink> sinks, RunSettings settings, ILogger<Escalator> logger)
    {
        _sink = sinks.LastOrDefault();
        _settings = settings;
        _logger = logger;
    }

    /// <summary>False when the OpsItem could not be created (logged); true when it was, or none is due.</summary>
    public async ValueTask<bool> TryEscalateAsync(
        ConfigurationVersion version, CompiledPlaybook playbook, AuditRecord record, string reason, int attempts, IReadOnlyList<string> executionIds, CancellationToken cancellationToken)
    {
        var options = playbook.Options.Escalation;
        if (_sink is null || !options.Enabled || _settings.DryRunOnly || version.EffectiveMode(playbook) != RunMode.Live)
        {
            return true;
        }

        var summary = JsonSerializer.Serialize(new Dictionary<string, string?>
        {
            ["id"] = record.EventId,
            ["source"] = record.Source,
            ["detail-type"] = record.DetailType,
            ["account"] = record.Account,
            ["region"] = record.Region,
            ["resource"] = record.Resource,
            ["causedBy"] = record.CausedBy,
        });
        try
        {
            await _sink.EscalateAsync(
                new EscalationRequest(record.EventId ?? "-", record.Source ?? "-", record.DetailType ?? "-", playbook.Id, record.Resource ?? "-", reason, attempts, executionIds, options.Severity, options.Category, summary),
                cancellationToken);
            return true;
        }
        catch (Exception ex) when (ex is not OperationCanceledException)
        {
            _logger.OpsItemFailed(ex, playbook.Id, record.Resource ?? "-");
            return false;
        }
    }
}
