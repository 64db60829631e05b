using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using RemediationWorker.Audit;

namespace AuditReport.Benchmarks;

/// <summary>A day of audit records through the real sink: 2,000 stacks and 300 build projects, one event every
/// second or so; of the events, 40% match no playbook, the rest are planned, skipped by a guard, or run live (started,
/// then succeeded or failed after minutes), and a tenth are events our runs caused.</summary>
internal static class SyntheticAudit
{
    private static readonly DateTimeOffset Start = new(2026, 11, 26, 0, 0, 0, TimeSpan.Zero);

    public static async Task<int> WriteAsync(string path, int records)
    {
        File.Delete(path);
        var random = new Random(17);
        await using var sink = new JsonLinesAuditSink(
            Options.Create(new AuditOptions { Path = path, FlushToDisk = false, LogToStdout = false }), NullLogger<JsonLinesAuditSink>.Instance);
        var written = 0;
        var time = Start;
        var executions = new List<string>();
        for (var e = 0; written < records; e++)
        {
            time = time.AddMilliseconds(random.Next(200, 1500));
            var build = random.Next(8) == 0;
            var resource = build
                ? $"arn:aws:codebuild:eu-west-1:111122223333:build/app-build-{random.Next(300):D3}:{Guid.NewGuid()}"
                : $"arn:aws:cloudformation:eu-west-1:111122223333:stack/app-stack-{random.Next(2000):D4}/{Guid.NewGuid()}";
            var received = new AuditRecord
            {
                Time = time,
                WorkerId = "worker-1",
                Decision = AuditDecision.Received,
                ConfigHash = "c0ffee12",
                EventId = Guid.NewGuid().ToString(),
                Source = build ? "aws.codebuild" : "aws.cloudformation",
                Resource = resource,
                CausedBy = executions.Count > 0 && random.Next(10) == 0 ? executions[random.Next(executions.Count)] : null,
            };
            var roll = random.Next(100);
            List<AuditRecord> story = [received];
            if (roll < 40 || received.CausedBy is not null)
            {
                story.Add(received with { Decision = AuditDecision.NoMatch, Reason = $"nearest playbook stack-rollback-continue: detail.status-details.status: decides no match: no value matched; the event has \"UPDATE_COMPLETE\", the pattern wants [\"UPDATE_ROLLBACK_FAILED\"]" });
            }
            else
            {
                var playbook = build ? "codebuild-transient-retry" : roll < 70 ? "stack-rollback-continue" : "stack-drift-revert";
                var target = build ? resource.Split('/')[1].Split(':')[0] : resource;
                var matched = received with { Playbook = playbook, Resource = target, CausedBy = null };
                story.Add(matched with { Decision = AuditDecision.Matched });
                if (roll < 60)
                {
                    story.Add(matched with { Decision = AuditDecision.Planned, Reason = "dry-run: the runbook was planned, not started", Mode = "DryRun" });
                }
                else if (roll < 75)
                {
                    story.Add(matched with { Decision = AuditDecision.Skipped, Guard = "cooldown", Reason = $"cooldown: the last run on {target} ended {random.Next(1, 30)} min ago (cooldown 00:30:00)" });
                }
                else
                {
                    var execution = Guid.NewGuid().ToString();
                    executions.Add(execution);
                    var started = matched with { Decision = AuditDecision.Started, ExecutionId = execution, Mode = "Live", ClientToken = Guid.NewGuid().ToString("N") };
                    var took = TimeSpan.FromSeconds(random.Next(20, 1800));
                    story.Add(started);
                    story.Add(random.Next(5) == 0
                        ? started with { Time = time + took, Decision = AuditDecision.Failed, Status = "Failed", Duration = took, Reason = "Step ContinueRollback failed: Refused: the stack is no longer UPDATE_ROLLBACK_FAILED" }
                        : started with { Time = time + took, Decision = AuditDecision.Succeeded, Status = "Success", Duration = took });
                }
            }

            foreach (var record in story.Take(records - written))
            {
                await sink.WriteAsync(record, CancellationToken.None);
                written++;
            }
        }

        return written;
    }
}
