namespace EventPatterns;

/// <summary>A pattern that EventBridge would refuse, or an event the matcher cannot read. The message
/// names the path and the problem, for example <c>detail.status: "prefix" needs a string</c>;
/// <see cref="Code"/> says what kind of problem it is.</summary>
/// <remarks><see cref="EventPattern.Parse"/> throws it; <see cref="EventPattern.TryParse"/> and
/// <c>PatternMatcher.TryMatch</c> return it instead (the <c>Event…</c> codes come from
/// <c>PatternMatcher.TryMatch</c> only).</remarks>
public sealed class InvalidPatternException : FormatException
{
    /// <summary>Creates an exception with the code <see cref="PatternErrorCode.Unspecified"/>.</summary>
    public InvalidPatternException()
        : this(PatternErrorCode.Unspecified, string.Empty, "invalid pattern")
    {
    }

    /// <summary>Creates an exception with the code <see cref="PatternErrorCode.Unspecified"/>.</summary>
    /// <param name="message">What is wrong.</param>
    public InvalidPatternException(string message)
        : this(PatternErrorCode.Unspecified, string.Empty, message)
    {
    }

    /// <summary>Creates an exception with the code <see cref="PatternErrorCode.Unspecified"/>.</summary>
    /// <param name="message">What is wrong.</param>
    /// <param name="innerException">The error that caused this one.</param>
    public InvalidPatternException(string message, Exception innerException)
        : base(message, innerException)
    {
        Path = string.Empty;
        Problem = message;
    }

    /// <summary>Creates an exception for a problem at a path.</summary>
    /// <param name="code">What kind of problem it is.</param>
    /// <param name="path">Dotted path of the field; empty for the pattern or event as a whole.</param>
    /// <param name="problem">What is wrong, without the path.</param>
    public InvalidPatternException(PatternErrorCode code, string path, string problem)
        : base(path.Length == 0 ? problem : $"{path}: {problem}")
    {
        Code = code;
        Path = path;
        Problem = problem;
    }

    /// <summary>What kind of problem it is.</summary>
    public PatternErrorCode Code { get; }

    /// <summary>Dotted path of the field the problem is at; empty for the pattern or the event as a whole.</summary>
    public string Path { get; }

    /// <summary>What is wrong, without the path.</summary>
    public string Problem { get; }
}
