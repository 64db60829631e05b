using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Ledger;
using RemediationWorker.Playbooks;
using RemediationWorker.Testing;

namespace RemediationWorker.IntegrationTests.Ledger;

/// <summary>Each guard rule is stated once (its guard) and enforced twice: by the guard on the ledger's state, and by
/// the ledger's conditional claim when a race beats the guard. For each rule, one contract: on the same state the
/// guard pipeline and the ledger's claim (<see cref="Admission"/>) answer alike — the same guard, deferred where the
/// rule passes with time, skipped where it is final. Run against each store (<see cref="LedgerContract"/>'s subclasses).</summary>
public abstract class GuardRuleContract
{
    private const string Playbook = "stack-rollback-continue";
    private static readonly DateTimeOffset T0 = new(2026, 11, 26, 8, 0, 0, TimeSpan.Zero);
    private static readonly EventEnvelope Envelope = new("e", "aws.cloudformation", "CloudFormation Stack Status Change", "111122223333", "eu-west-1", T0, []);

    /// <summary>A ledger on a store of its own (a fresh table for DynamoDB).</summary>
    internal abstract Task<ILedger> CreateAsync();

    [Fact]
    public Task Duplicate_SettledRun_BothSkip()
        => AssertSameAsync(GuardNames.Duplicate, GuardOutcome.Skipped, Config(), async (admission, ledger, version) =>
        {
            await StartAsync(admission, version, "e1", "stack-a", T0);
            await FinishAsync(ledger, version, "e1", "stack-a", T0.AddMinutes(1), RunOutcome.Succeeded);
            return ("e1", "stack-a", T0.AddHours(1));
        });

    [Fact]
    public Task Duplicate_RunInProgress_BothDefer()
        => AssertSameAsync(GuardNames.Duplicate, GuardOutcome.Deferred, Config(), async (admission, _, version) =>
        {
            await StartAsync(admission, version, "e1", "stack-a", T0);
            return ("e1", "stack-a", T0.AddMinutes(1));
        });

    [Fact]
    public Task Lease_HeldByAnotherRun_BothDefer()
        => AssertSameAsync(GuardNames.Lease, GuardOutcome.Deferred, Config(), async (admission, _, version) =>
        {
            await StartAsync(admission, version, "e1", "stack-a", T0);
            return ("e2", "stack-a", T0.AddMinutes(1));
        });

    [Fact]
    public Task Cooldown_TooSoonAfterTheLastRun_BothSkip()
        => AssertSameAsync(GuardNames.Cooldown, GuardOutcome.Skipped, Config(), async (admission, ledger, version) =>
        {
            await StartAsync(admission, version, "e1", "stack-a", T0);
            await FinishAsync(ledger, version, "e1", "stack-a", T0.AddMinutes(1), RunOutcome.Succeeded);
            return ("e2", "stack-a", T0.AddMinutes(10));
        });

    [Fact]
    public Task AttemptBudget_Spent_NeitherStartsAndBothNameTheBudget()
        => AssertSameAsync(GuardNames.AttemptBudget, null, Config(), async (admission, ledger, version) =>
        {
            for (var i = 0; i < 2; i++)
            {
                var at = T0.AddMinutes(30 * i);
                await StartAsync(admission, version, $"e{i}", "stack-a", at);
                await FinishAsync(ledger, version, $"e{i}", "stack-a", at.AddMinutes(1), RunOutcome.Failed);
            }

            return ("e9", "stack-a", T0.AddMinutes(90)); // the guard escalates; a race's loser skips (the winner escalates)
        });

    [Fact]
    public Task RateLimit_MinuteFull_BothDeferToTheNextMinute()
        => AssertSameAsync(GuardNames.RateLimit, GuardOutcome.Deferred, Config(maxStartsPerMinute: 1), async (admission, _, version) =>
        {
            await StartAsync(admission, version, "e1", "stack-a", T0);
            return ("e2", "stack-b", T0.AddSeconds(10));
        });

    [Fact]
    public Task InFlight_Full_BothDefer()
        => AssertSameAsync(GuardNames.InFlight, GuardOutcome.Deferred, Config(maxInFlight: 1), async (admission, _, version) =>
        {
            await StartAsync(admission, version, "e1", "stack-a", T0);
            return ("e2", "stack-b", T0.AddMinutes(1));
        });

    [Fact]
    public Task Breaker_Open_BothDefer()
        => AssertSameAsync(GuardNames.Breaker, GuardOutcome.Deferred, Config(), async (admission, ledger, version) =>
        {
            for (var i = 1; i <= 2; i++)
            {
                await StartAsync(admission, version, $"e{i}", $"stack-{i}", T0);
                await FinishAsync(ledger, version, $"e{i}", $"stack-{i}", T0, RunOutcome.Failed);
            }

            return ("e3", "stack-3", T0.AddMinutes(1));
        });

    /// <summary>Sets up the state, then asks the guards and the ledger's claim about the same (event, resource, time).</summary>
    private async Task AssertSameAsync(string guard, GuardOutcome? outcome, ConfigurationVersion version, Func<Admission, ILedger, ConfigurationVersion, Task<(string EventId, string Resource, DateTimeOffset Now)>> arrange)
    {
        var ledger = await CreateAsync();
        var admission = CreateAdmission(ledger);
        var (eventId, resource, now) = await arrange(admission, ledger, version);
        var playbook = version.Playbooks.Single(p => p.Id == Playbook);
        var key = new LedgerKey(eventId, Playbook, resource);
        var snapshot = await ledger.ReadAsync(key, now, CancellationToken.None);

        var admissionCase = new AdmissionCase(version, playbook, Envelope with { Id = eventId }, key, snapshot, now);
        var byGuard = admission.Evaluate(admissionCase);
        var byLedger = await admission.ClaimAsync(admissionCase, takeover: false, $"owner-{eventId}", CancellationToken.None);

        Assert.Equal((guard, guard), (byGuard.Guard, byLedger.Guard));
        Assert.False(byLedger.IsAllowed);
        if (outcome is { } expected)
        {
            Assert.Equal((expected, expected), (byGuard.Outcome, byLedger.Outcome));
        }

        if (outcome == GuardOutcome.Deferred && guard is GuardNames.RateLimit)
        {
            Assert.Equal(byGuard.RetryAt, byLedger.RetryAt);
        }
    }

    private static Admission CreateAdmission(ILedger ledger) => new(
        new GuardPipeline([new DuplicateGuard(), new LoopGuard(), new KillSwitchGuard(), new AllowListGuard(), new LeaseGuard(), new AttemptBudgetGuard(), new CooldownGuard(), new RateLimitGuard(), new InFlightGuard(), new BreakerGuard()]),
        ledger,
        Options.Create(new LedgerOptions { LeaseMargin = TimeSpan.Zero }));

    private static async Task StartAsync(Admission admission, ConfigurationVersion version, string eventId, string resource, DateTimeOffset now)
    {
        var playbook = version.Playbooks.Single(p => p.Id == Playbook);
        var key = new LedgerKey(eventId, Playbook, resource);
        var empty = new LedgerSnapshot(null, null, AttemptState.None, 0, 0, BreakerState.Closed);
        Assert.True((await admission.ClaimAsync(new AdmissionCase(version, playbook, Envelope with { Id = eventId }, key, empty, now), false, $"owner-{eventId}", CancellationToken.None)).IsAllowed);
    }

    private static ValueTask<OutcomeResult> FinishAsync(ILedger ledger, ConfigurationVersion version, string eventId, string resource, DateTimeOffset now, RunOutcome outcome)
        => ledger.RecordOutcomeAsync(new OutcomeRequest(new LedgerKey(eventId, Playbook, resource), $"owner-{eventId}", now, outcome, version.Options.Breaker), CancellationToken.None);

    /// <summary>The shipped configuration with the contract's limits: cooldown 20 min, 2 attempts in 6 h, timeout 30 min,
    /// breaker 2 failures for 30 min.</summary>
    private static ConfigurationVersion Config(int maxStartsPerMinute = 1000, int maxInFlight = 1000)
    {
        var settings = new Dictionary<string, string?>
        {
            ["Remediation:limits:maxStartsPerMinute"] = maxStartsPerMinute.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Remediation:limits:maxInFlight"] = maxInFlight.ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["Remediation:breaker:failureThreshold"] = "2",
            ["Remediation:breaker:breakDuration"] = "00:30:00",
            [WorkerProcessSettings.Playbook(Playbook, "limits:cooldown")] = "00:20:00",
            [WorkerProcessSettings.Playbook(Playbook, "limits:maxAttempts")] = "2",
            [WorkerProcessSettings.Playbook(Playbook, "limits:attemptWindow")] = "06:00:00",
        };
        WorkerProcessSettings.ShortTimeout(settings, Playbook, "00:30:00");
        var configuration = new ConfigurationBuilder()
            .AddJsonFile(Path.Combine(RepositoryPaths.Root, "appsettings.json"))
            .AddInMemoryCollection(settings)
            .Build();
        var loaded = RemediationConfigurationLoader.Load(configuration);
        return loaded.Version ?? throw new InvalidOperationException($"the contract's configuration does not load: {string.Join("; ", loaded.Errors)}");
    }
}
