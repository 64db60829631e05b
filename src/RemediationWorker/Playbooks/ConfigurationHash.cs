using System.Security.Cryptography;
using System.Text;
using System.Text.Json;

namespace RemediationWorker.Playbooks;

/// <summary>The short content hash that names a configuration version in every audit record.</summary>
internal static class ConfigurationHash
{
    /// <summary>Hex characters kept: 12 (48 bits) tell versions apart and stay readable in a table.</summary>
    public const int Length = 12;

    /// <summary>Hashes the canonical form: the bound options serialized in declaration order (patterns
    /// minified), so whitespace, key case and the source (file or environment) do not change the hash,
    /// and every value that changes a decision does.</summary>
    public static string Compute(RemediationOptions options, RunMode globalMode)
    {
        var canonical = JsonSerializer.SerializeToUtf8Bytes(options, PlaybookJsonContext.Default.RemediationOptions);
        var mode = Encoding.UTF8.GetBytes($"\nexecution.mode={globalMode}");
        var hash = SHA256.HashData([.. canonical, .. mode]);
        return Convert.ToHexStringLower(hash)[..Length];
    }
}
