using Microsoft.Extensions.FileProviders;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;
using RemediationWorker.Aws;
using RemediationWorker.Diagnostics;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Configuration;

/// <summary>Looks for a new version of the configuration document every <see cref="ConfigurationOptions.PollInterval"/>
/// (a local file also at once when it changes). A new version is checked completely before it is applied: not
/// JSON, a change outside the live keys (<see cref="LiveKeys"/>) or an invalid Remediation section refuses it
/// (<c>config-rejected</c> naming the version and every error) and the last good version keeps running; a good one
/// replaces the document's keys whole, and the catalog audits <c>config-loaded</c>. A failed poll (throttling, 5xx,
/// network) is logged and tried again at the next interval; health is not affected.</summary>
internal sealed class ConfigurationWatcher : BackgroundService
{
    private readonly WatchedConfiguration _watched;
    private readonly PlaybookCatalog _catalog;
    private readonly TimeSpan _interval;
    private readonly TimeProvider _timeProvider;
    private readonly ILogger<ConfigurationWatcher> _logger;
    private readonly SemaphoreSlim _wake = new(0, 1);
    private string? _lastRefused;

    public ConfigurationWatcher(WatchedConfiguration watched, PlaybookCatalog catalog, IOptions<ConfigurationOptions> options, TimeProvider timeProvider, ILogger<ConfigurationWatcher> logger)
    {
        _watched = watched;
        _catalog = catalog;
        _interval = options.Value.PollInterval;
        _timeProvider = timeProvider;
        _logger = logger;
    }

    /// <summary>One look: read (conditionally), check, then apply or refuse. Never throws but for cancellation.</summary>
    public async Task CheckAsync(CancellationToken cancellationToken)
    {
        var location = _watched.Location;
        var held = _watched.Provider.Document;
        ConfigurationDocument? next;
        try
        {
            next = await _watched.Reader.ReadAsync(location, held, cancellationToken);
        }
        catch (ConfigurationUnavailableException ex)
        {
            await RefuseAsync(location.Text, ex.Message, [ex.Message], cancellationToken);
            return;
        }
        catch (Exception ex) when (AwsErrors.IsTransient(ex))
        {
            _logger.ConfigurationPollFailed(location.Text, ConfigurationDocumentReader.Describe(ex));
            return;
        }

        if (next is null || next.Sha256 == held.Sha256)
        {
            return;
        }

        DocumentConfigurationProvider candidate;
        try
        {
            candidate = DocumentConfigurationProvider.Parse(next);
        }
        catch (ConfigurationUnavailableException ex)
        {
            await RefuseAsync(next.ToString(), next.Sha256, [ex.Message], cancellationToken);
            return;
        }

        var restart = LiveKeys.NeedingRestart(_watched.Provider.Values, candidate.Values);
        if (restart.Count > 0)
        {
            await RefuseAsync(next.ToString(), next.Sha256, [LiveKeys.Describe(restart)], cancellationToken);
            return;
        }

        using (var root = ConfigurationLayers.Build(candidate))
        {
            var result = RemediationConfigurationLoader.Load(root);
            if (!result.IsValid)
            {
                await RefuseAsync(next.ToString(), next.Sha256, result.Errors, cancellationToken);
                return;
            }
        }

        _lastRefused = null;
        _watched.Status.Loaded(next);
        _watched.Provider.Replace(candidate); // the catalog's reload runs on this change and audits config-loaded
        await _catalog.LastReload;
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var fileWatch = WatchLocalFile();
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var wait = CancellationTokenSource.CreateLinkedTokenSource(stoppingToken))
            {
                await Task.WhenAny(Task.Delay(_interval, _timeProvider, wait.Token), _wake.WaitAsync(wait.Token));
                await wait.CancelAsync();
            }

            if (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await CheckAsync(stoppingToken);
        }
    }

    public override void Dispose()
    {
        _wake.Dispose();
        base.Dispose();
    }

    /// <summary>The same refusal seen again (the object polled again, an editor saving twice) is recorded once.</summary>
    private async Task RefuseAsync(string what, string identity, IReadOnlyList<string> errors, CancellationToken cancellationToken)
    {
        if (identity == _lastRefused)
        {
            return;
        }

        _lastRefused = identity;
        await _catalog.RefuseAsync(what, errors, cancellationToken);
    }

    private CompositeDisposable? WatchLocalFile()
    {
        if (_watched.Location.FilePath is not { } path)
        {
            return null;
        }

        var files = new PhysicalFileProvider(Path.GetDirectoryName(path)!);
        var name = Path.GetFileName(path);
        var registration = ChangeToken.OnChange(() => files.Watch(name), () =>
        {
            if (_wake.CurrentCount == 0)
            {
                try
                {
                    _wake.Release();
                }
                catch (SemaphoreFullException)
                {
                    // Already woken.
                }
            }
        });
        return new CompositeDisposable(registration, files);
    }

    private sealed class CompositeDisposable(params IDisposable[] parts) : IDisposable
    {
        public void Dispose()
        {
            foreach (var part in parts)
            {
                part.Dispose();
            }
        }
    }
}
