namespace EventPatterns;

/// <summary>A pattern that EventBridge would refuse. The message names the path and the problem,
/// for example <c>detail.status: "prefix" needs a string</c>.</summary>
public sealed class InvalidPatternException : FormatException
{
    public InvalidPatternException()
        : this(string.Empty, "invalid pattern")
    {
    }

    public InvalidPatternException(string message)
        : this(string.Empty, message)
    {
    }

    public InvalidPatternException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
        Problem = message;
    }

    public InvalidPatternException(string path, string problem)
        : base(path.Length == 0 ? problem : $"{path}: {problem}")
    {
        Path = path;
        Problem = problem;
    }

    /// <summary>Dotted path of the field the problem is at; empty for the pattern as a whole.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
