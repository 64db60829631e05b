using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;
using RemediationWorker.Configuration;
using RemediationWorker.Execution;
using RemediationWorker.Guards;
using RemediationWorker.Intake;
using RemediationWorker.Playbooks;
using RemediationWorker.Remediation;

namespace Microsoft.Extensions.DependencyInjection;

/// <summary>Composes the worker: defaults with TryAdd*, so tests and the AWS adapters
/// replace the edges (event source, automation runner, ledger, audit sink, clock).</summary>
internal static class RemediationWorkerServiceCollectionExtensions
{
    /// <summary>The host's own setting of its shutdown timeout, in seconds.</summary>
    public const string ShutdownTimeoutKey = "shutdownTimeoutSeconds";

    /// <summary>After the intake's grace: the last deletes and the audit flush. Grace (at most 110 s) plus this stays
    /// below the task definition's <c>stopTimeout</c> (120 s, the Fargate maximum) so the host ends before SIGKILL.</summary>
    public static readonly TimeSpan ShutdownAfterGrace = TimeSpan.FromSeconds(8);

    public static IServiceCollection AddRemediationWorker(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(configuration);
        services.TryAddSingleton(_ => WorkerIdentity.FromConfiguration(configuration));
        services.TryAddSingleton(new RunSettings(Once: false));

        // Configuration: the Remediation section is read and validated by the catalog (it reloads); the
        // validator below runs the same checks at host start so a bad file stops the host with
        // OptionsValidationException naming the playbook and field.
        services.AddOptions<RemediationOptions>().ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<RemediationOptions>, RemediationOptionsValidator>());
        services.AddOptionsWithValidateOnStart<IntakeOptions, IntakeOptionsValidator>().Bind(configuration.GetSection(IntakeOptions.SectionName));
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<IntakeOptions>, IntakeRulesValidator>());
        services.TryAddSingleton<PlaybookCatalog>();
        services.AddOptionsWithValidateOnStart<ConfigurationOptions, ConfigurationOptionsValidator>().Bind(configuration.GetSection(ConfigurationOptions.SectionName));

        services.AddWorkerDiagnostics(configuration);

        // Guards, in the design's order (each guard carries its own).
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, DuplicateGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, LoopGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, KillSwitchGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, AllowListGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, LeaseGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, AttemptBudgetGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, CooldownGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, RateLimitGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, InFlightGuard>());
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IGuard, BreakerGuard>());
        services.TryAddSingleton<GuardPipeline>();
        services.TryAddSingleton<Admission>();

        // Edges. The ledger follows Ledger:Store (in memory unless DynamoDb). The section Execution is read where it
        // is used: Execution:Mode by RemediationConfigurationLoader, Execution:WorkerId by WorkerIdentity. The audit
        // sink is the hash-chained file (section Audit), added with TryAdd: a sink registered before or after this
        // call wins.
        services.AddLedger(configuration);
        services.TryAddSingleton<DryRunAutomationRunner>();
        services.AddAudit();
        services.TryAddSingleton<UnreadInputs>();
        services.TryAddSingleton<IEventSource, LocalDirectoryEventSource>();

        services.AddAwsAdapters(configuration);

        services.TryAddSingleton<AuditTrail>();
        services.TryAddSingleton<RemediationWorker.Escalation.Escalator>();
        services.TryAddSingleton<EscalationStep>();
        services.TryAddSingleton<RunSettler>();
        services.TryAddSingleton<RunTracker>();
        services.TryAddSingleton<EventProcessor>();
        // The one shutdown timeout: the intake's grace, then the last deletes and the audit flush; the host's own
        // shutdownTimeoutSeconds wins when it is set.
        if (string.IsNullOrEmpty(configuration[ShutdownTimeoutKey]))
        {
            var grace = configuration.GetSection("Intake:Sqs").GetValue<TimeSpan?>(nameof(SqsIntakeOptions.ShutdownGrace)) ?? new SqsIntakeOptions().ShutdownGrace;
            services.Configure<HostOptions>(o => o.ShutdownTimeout = grace + ShutdownAfterGrace);
        }

        // Before the intake: hosted services start in this order and stop in reverse, so worker-started is the first
        // record and worker-stopped the last.
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, RemediationWorker.Audit.WorkerLifecycleService>());
        if (configuration.GetSection(IntakeOptions.SectionName).GetValue<IntakeSource>(nameof(IntakeOptions.Source)) == IntakeSource.Sqs)
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, SqsIntakeService>());
        }
        else
        {
            services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, IntakeService>());
        }
        return services;
    }
}
