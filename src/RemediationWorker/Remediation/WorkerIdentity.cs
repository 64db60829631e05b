using System.Globalization;
using Microsoft.Extensions.Configuration;

namespace RemediationWorker.Remediation;

/// <summary>Names this worker in audit records and leases.</summary>
internal sealed class WorkerIdentity
{
    public const string ConfigurationKey = "Execution:WorkerId";

    public WorkerIdentity(string id) => Id = id;

    /// <summary>From <c>Execution:WorkerId</c>, else host name and process id.</summary>
    public static WorkerIdentity FromConfiguration(IConfiguration configuration)
        => new(configuration[ConfigurationKey] is { Length: > 0 } id
            ? id
            : string.Create(CultureInfo.InvariantCulture, $"{Environment.MachineName}/{Environment.ProcessId}"));

    public string Id { get; }

    public override string ToString() => Id;
}
