using System.Collections.Concurrent;

namespace RemediationWorker.Intake;

/// <summary>What a <c>run --once</c> did not read: inputs that could not be read (an I/O error: unreadable, not
/// hostile; a hostile input is read and rejected) and inputs handed back for later. <c>run --once</c> exits 3 naming
/// them (Commands/RunCommand).</summary>
internal sealed class UnreadInputs
{
    private readonly ConcurrentDictionary<string, string> _inputs = new(StringComparer.Ordinal);

    public void Add(string input, string why) => _inputs[input] = why;

    public void Remove(string input) => _inputs.TryRemove(input, out _);

    /// <summary>One line per input, <c>name: why</c>, in name order.</summary>
    public IReadOnlyList<string> Lines() => _inputs.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value}").ToList();
}
