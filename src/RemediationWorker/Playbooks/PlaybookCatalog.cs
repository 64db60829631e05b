using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RemediationWorker.Audit;
using RemediationWorker.Diagnostics;
using RemediationWorker.Remediation;

namespace RemediationWorker.Playbooks;

/// <summary>Holds the configuration version in effect. A configuration change is validated; a good one takes
/// effect for the next event, a bad one is refused, logged and audited, and the last good version keeps
/// running.</summary>
internal sealed class PlaybookCatalog : IDisposable
{
    private readonly IConfiguration _configuration;
    private readonly IAuditSink _audit;
    private readonly TimeProvider _timeProvider;
    private readonly WorkerIdentity _worker;
    private readonly ILogger<PlaybookCatalog> _logger;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly IDisposable _subscription;
    private volatile ConfigurationVersion _current;
    private string? _lastRefusal;

    public PlaybookCatalog(IConfiguration configuration, IAuditSink audit, TimeProvider timeProvider, WorkerIdentity worker, ILogger<PlaybookCatalog> logger)
    {
        _configuration = configuration;
        _audit = audit;
        _timeProvider = timeProvider;
        _worker = worker;
        _logger = logger;

        var result = RemediationConfigurationLoader.Load(configuration);
        _current = result.Version ?? throw new OptionsValidationException(RemediationOptions.SectionName, typeof(RemediationOptions), result.Errors);
        _subscription = ChangeToken.OnChange(configuration.GetReloadToken, () => LastReload = ReloadAsync(CancellationToken.None));
    }

    /// <summary>The version every new event is decided with.</summary>
    public ConfigurationVersion Current => _current;

    /// <summary>The reload started by the latest configuration change (for tests and shutdown).</summary>
    public Task LastReload { get; private set; } = Task.CompletedTask;

    /// <summary>Audits the version in effect at start (a <c>config-loaded</c> record).</summary>
    public async ValueTask AnnounceAsync(CancellationToken cancellationToken)
    {
        var version = _current;
        _logger.ConfigurationLoaded(version.Hash, version.Playbooks.Count, version.ConfiguredPlaybooks, version.GlobalMode);
        await _audit.WriteAsync(ConfigRecord(AuditDecision.ConfigLoaded, version.Hash, Describe(version)), cancellationToken);
        await _audit.FlushAsync(cancellationToken);
    }

    /// <summary>Reads the configuration again; never throws (a failure leaves the current version in effect).</summary>
    public async Task ReloadAsync(CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            var running = _current;
            var result = RemediationConfigurationLoader.Load(_configuration);
            if (result.Version is { } candidate)
            {
                if (candidate.Hash == running.Hash)
                {
                    return; // a save without a change, or a change that decides nothing differently
                }

                _current = candidate;
                _lastRefusal = null;
                _logger.ConfigurationLoaded(candidate.Hash, candidate.Playbooks.Count, candidate.ConfiguredPlaybooks, candidate.GlobalMode);
                await _audit.WriteAsync(ConfigRecord(AuditDecision.ConfigLoaded, candidate.Hash, $"{Describe(candidate)}; replaces {running.Hash}"), cancellationToken);
            }
            else
            {
                var errors = string.Join("; ", result.Errors);
                if (errors == _lastRefusal)
                {
                    return; // the same bad file seen again (editors and file watchers signal a save more than once)
                }

                _lastRefusal = errors;
                _logger.ConfigurationRejected(running.Hash, errors);
                await _audit.WriteAsync(ConfigRecord(AuditDecision.ConfigRejected, running.Hash, $"edit refused, {running.Hash} keeps running: {errors}"), cancellationToken);
            }

            await _audit.FlushAsync(cancellationToken);
        }
#pragma warning disable CA1031 // A reload runs on a change-token callback: nothing may escape it, the worker keeps running.
        catch (Exception ex) when (ex is not OperationCanceledException)
#pragma warning restore CA1031
        {
            _logger.ConfigurationReloadFailed(ex, _current.Hash);
        }
        finally
        {
            _reloadGate.Release();
        }
    }

    public void Dispose()
    {
        _subscription.Dispose();
        _reloadGate.Dispose();
    }

    private static string Describe(ConfigurationVersion version)
        => $"{version.Playbooks.Count} of {version.ConfiguredPlaybooks} playbooks enabled ({string.Join(", ", version.Playbooks.Select(p => p.Id))}), execution mode {version.GlobalMode}";

    private AuditRecord ConfigRecord(AuditDecision decision, string hash, string reason) => new()
    {
        Time = _timeProvider.GetUtcNow(),
        WorkerId = _worker.Id,
        Decision = decision,
        ConfigHash = hash,
        Reason = reason,
    };
}
