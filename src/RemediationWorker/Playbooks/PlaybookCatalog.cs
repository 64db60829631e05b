using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RemediationWorker.Audit;
using RemediationWorker.Configuration;
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
    private readonly ConfigurationStatus? _status;
    private readonly SemaphoreSlim _reloadGate = new(1, 1);
    private readonly IDisposable _subscription;
    private volatile ConfigurationVersion _current;
    private string? _lastRefusal;
    private ConfigurationDocument? _announced;

    /// <param name="status">The document's version (S3 version id, SHA-256) named in the audit records, and kept
    /// for <c>health</c>; absent when the configuration is not one document (tests).</param>
    public PlaybookCatalog(IConfiguration configuration, IAuditSink audit, TimeProvider timeProvider, WorkerIdentity worker, ILogger<PlaybookCatalog> logger, ConfigurationStatus? status = null)
    {
        _status = status;
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
        _announced = _status?.InForce;
        _logger.ConfigurationLoaded(version.Hash, version.Playbooks.Count, version.ConfiguredPlaybooks, version.GlobalMode);
        await _audit.WriteAsync(ConfigRecord(AuditDecision.ConfigLoaded, version.Hash, $"{Source()}{Describe(version)}"), cancellationToken);
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
                // A save without a change, or a change that decides nothing differently: nothing to record, unless it
                // is a new version of the document (a new S3 version id), which is audited so every version in force is.
                if (candidate.Hash == running.Hash && (_status?.InForce is not { } document || ReferenceEquals(document, _announced)))
                {
                    return;
                }

                _current = candidate;
                _announced = _status?.InForce;
                _lastRefusal = null;
                _logger.ConfigurationLoaded(candidate.Hash, candidate.Playbooks.Count, candidate.ConfiguredPlaybooks, candidate.GlobalMode);
                await _audit.WriteAsync(ConfigRecord(AuditDecision.ConfigLoaded, candidate.Hash, $"{Source()}{Describe(candidate)}; replaces {running.Hash}"), cancellationToken);
                await _audit.FlushAsync(cancellationToken);
            }
            else
            {
                await RefuseCoreAsync(null, result.Errors, cancellationToken);
            }
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

    /// <summary>Audits <c>config-rejected</c> for a version refused before it reached the configuration (not JSON,
    /// a change that needs a restart, an invalid section): <paramref name="what"/> names it, every error is listed,
    /// and the version in force keeps running.</summary>
    public async Task RefuseAsync(string what, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        await _reloadGate.WaitAsync(cancellationToken);
        try
        {
            await RefuseCoreAsync(what, errors, cancellationToken);
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

    private async Task RefuseCoreAsync(string? what, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        var running = _current;
        var joined = string.Join("; ", errors);
        if ($"{what}|{joined}" == _lastRefusal)
        {
            return; // the same bad file seen again (editors and file watchers signal a save more than once)
        }

        _lastRefusal = $"{what}|{joined}";
        _logger.ConfigurationRejected(running.Hash, what is null ? joined : $"{what}: {joined}");
        _status?.Refused(what ?? "edit", joined);
        var edit = what is null ? "edit" : $"edit {what}";
        await _audit.WriteAsync(ConfigRecord(AuditDecision.ConfigRejected, running.Hash, $"{edit} refused, {running.Hash} keeps running: {joined}"), cancellationToken);
        await _audit.FlushAsync(cancellationToken);
    }

    /// <summary>The document version in force, as the audit records name it: <c>s3://b/k version V, sha256 H: </c>.</summary>
    private string Source() => _status?.InForce is { } document ? $"{document}: " : string.Empty;

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
