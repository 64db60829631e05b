using System.Text;

namespace EventPatterns.Matching;

/// <summary>A node of the trie of path segments that the compiled patterns mention. Event keys are
/// looked up here while the event is read; a key with no node is skipped unread.</summary>
internal sealed class PathNode
{
    private byte[][] _names = [];
    private PathNode[] _children = [];

    /// <summary>The field whose leaves live at this path, or -1 when no pattern tests it.</summary>
    public int FieldId { get; set; } = -1;

    public bool HasChildren => _children.Length > 0;

    public PathNode GetOrAdd(string segment)
    {
        var name = Encoding.UTF8.GetBytes(segment);
        var existing = Find(name);
        if (existing is not null)
        {
            return existing;
        }

        var child = new PathNode();
        _names = [.. _names, name];
        _children = [.. _children, child];
        return child;
    }

    public PathNode? Find(ReadOnlySpan<byte> segment)
    {
        var names = _names;
        for (var i = 0; i < names.Length; i++)
        {
            if (segment.SequenceEqual(names[i]))
            {
                return _children[i];
            }
        }

        return null;
    }

    /// <summary>Walks a key that may itself hold dots: EventBridge joins field names with dots, so
    /// <c>{"a.b": 1}</c> and <c>{"a": {"b": 1}}</c> both have a leaf at <c>a.b</c>.</summary>
    public PathNode? Walk(ReadOnlySpan<byte> key)
    {
        var node = this;
        while (true)
        {
            var dot = key.IndexOf((byte)'.');
            if (dot < 0)
            {
                return node.Find(key);
            }

            node = node.Find(key[..dot]);
            if (node is null)
            {
                return null;
            }

            key = key[(dot + 1)..];
        }
    }
}
