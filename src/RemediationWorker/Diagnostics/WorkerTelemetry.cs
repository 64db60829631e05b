using System.Diagnostics;
using RemediationWorker.Audit;
using RemediationWorker.Remediation;

namespace RemediationWorker.Diagnostics;

/// <summary>Traces: one activity <see cref="ProcessEventActivityName"/> per event on the source
/// <see cref="ActivitySourceName"/>, from receipt to the final decision. Its parent is the message's
/// <c>AWSTraceHeader</c> when the intake set <see cref="Intake.IncomingEvent.TraceParent"/>, else the current
/// activity (none in the worker loop: a new trace per event).</summary>
internal static class WorkerTelemetry
{
    public const string ActivitySourceName = "RemediationWorker";
    public const string ProcessEventActivityName = "ProcessEvent";

    public static readonly ActivitySource ActivitySource = new(ActivitySourceName);

    public static Activity? StartProcessEvent(InspectedInput input)
    {
        var parent = input.Incoming.TraceParent;
        var activity = parent == default
            ? ActivitySource.StartActivity(ProcessEventActivityName, ActivityKind.Consumer)
            : ActivitySource.StartActivity(ProcessEventActivityName, ActivityKind.Consumer, parent);
        if (activity is { IsAllDataRequested: true })
        {
            activity.SetTag("input.name", input.Incoming.Name);
            if (input.Envelope is { } envelope)
            {
                activity.SetTag("event.id", envelope.Id);
                activity.SetTag("event.source", envelope.Source);
                activity.SetTag("event.detail_type", envelope.DetailType);
            }
        }

        return activity;
    }

    /// <summary>Tags the final decision(s) and playbook(s), comma-separated when <c>continue: true</c> let
    /// several playbooks act.</summary>
    public static void Complete(Activity? activity, EventResult result)
    {
        if (activity is not { IsAllDataRequested: true })
        {
            return;
        }

        var playbooks = string.Join(',', result.Verdicts.Select(v => v.Playbook).OfType<string>().Distinct(StringComparer.Ordinal));
        activity.SetTag("playbook", playbooks.Length == 0 ? null : playbooks);
        activity.SetTag("decision", string.Join(',', result.Verdicts.Select(v => v.Decision.ToWireName())));
        if (result.Verdicts.Any(v => v.Decision is AuditDecision.Failed or AuditDecision.TimedOut))
        {
            activity.SetStatus(ActivityStatusCode.Error, "a runbook failed or timed out");
        }
    }

    public static void Fail(Activity? activity, Exception exception) =>
        activity?.SetStatus(ActivityStatusCode.Error, exception.GetType().Name + ": " + exception.Message);
}
