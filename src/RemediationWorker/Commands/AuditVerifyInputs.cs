using RemediationWorker.Audit;

namespace RemediationWorker.Commands;

/// <summary>The files <c>audit verify</c> was given, grouped into chains: files of one folder sharing a chain name
/// (<see cref="AuditSegmentNames.ChainName"/>), in the order they were first named.</summary>
internal sealed class AuditVerifyInputs
{
    private readonly List<Chain> _chains = [];

    public IReadOnlyList<Chain> Chains => _chains;

    /// <summary>Every <c>*.jsonl</c> file of the folder; its chains are expected whole.</summary>
    public void AddFolder(string folder)
    {
        foreach (var file in Directory.EnumerateFiles(folder, "*" + AuditSegmentNames.SegmentExtension).Order(StringComparer.Ordinal))
        {
            Add(file, complete: true);
        }
    }

    public void AddFile(string path) => Add(path, complete: false);

    private void Add(string path, bool complete)
    {
        var folder = Path.GetDirectoryName(Path.GetFullPath(path))!;
        var name = AuditSegmentNames.ChainName(path);
        var chain = _chains.FirstOrDefault(c => c.Folder == folder && c.Name == name);
        if (chain is null)
        {
            chain = new Chain(folder, name);
            _chains.Add(chain);
        }

        chain.Complete |= complete;
        if (!chain.Files.Contains(path))
        {
            chain.Files.Add(path);
        }
    }

    internal sealed class Chain(string folder, string name)
    {
        public string Folder { get; } = folder;
        public string Name { get; } = name;
        public List<string> Files { get; } = [];
        public bool Complete { get; set; }
    }
}
