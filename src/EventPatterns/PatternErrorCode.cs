namespace EventPatterns;

/// <summary>What kind of problem an <see cref="InvalidPatternException"/> reports, for callers that act on
/// the kind rather than on the message.</summary>
public enum PatternErrorCode
{
    /// <summary>No more specific code applies (the exception's parameterless constructors).</summary>
    Unspecified = 0,

    /// <summary>The pattern is not valid JSON.</summary>
    NotJson,

    /// <summary>The pattern, or a value where fields belong, is not a JSON object.</summary>
    NotAnObject,

    /// <summary>An object of fields has no fields.</summary>
    EmptyObject,

    /// <summary>A field's value is neither a list of match values nor an object of fields.</summary>
    NotAListOrObject,

    /// <summary>A list of match values is empty.</summary>
    EmptyList,

    /// <summary>A match value is of a type no match accepts (such as a list inside the list).</summary>
    InvalidMatchValue,

    /// <summary>A match expression names an operator EventBridge does not have.</summary>
    UnknownOperator,

    /// <summary>A match expression object has no key, or more than one.</summary>
    MalformedExpression,

    /// <summary>An operator is given an operand of the wrong type or shape (such as a number for
    /// <c>prefix</c>, or an empty string).</summary>
    InvalidOperand,

    /// <summary>A <c>numeric</c> expression is malformed: its operators, their order or its bounds.</summary>
    InvalidNumeric,

    /// <summary>A number is outside the range a comparison supports.</summary>
    NumberOutOfRange,

    /// <summary>A <c>cidr</c> block is malformed.</summary>
    InvalidCidr,

    /// <summary>A <c>wildcard</c> has a bad escape or consecutive stars.</summary>
    InvalidWildcard,

    /// <summary><c>$or</c> expands to more combinations than the engine accepts.</summary>
    TooManyCombinations,

    /// <summary>An event given to <c>PatternMatcher.TryMatch</c> is larger than
    /// <see cref="MatcherOptions.MaxEventBytes"/>.</summary>
    EventTooLarge,

    /// <summary>An event is not valid UTF-8.</summary>
    EventNotUtf8,

    /// <summary>An event is valid JSON but not a JSON object.</summary>
    EventNotAnObject,

    /// <summary>An event is not valid JSON.</summary>
    EventNotJson,

    /// <summary>An event nests objects and arrays deeper than <see cref="MatcherOptions.MaxDepth"/>.</summary>
    EventTooDeep,

    /// <summary>An event has a member name twice in one object and <see cref="MatcherOptions.RejectDuplicateMembers"/> is set.</summary>
    EventDuplicateMember,

    /// <summary>An event has a <c>\u</c> escape of a lone surrogate and <see cref="MatcherOptions.RejectLoneSurrogates"/> is set.</summary>
    EventLoneSurrogate,

    /// <summary>An event has an array longer than <see cref="MatcherOptions.MaxArrayLength"/>.</summary>
    EventArrayTooLong,

    /// <summary>An event has a string or member name longer than <see cref="MatcherOptions.MaxStringLength"/>.</summary>
    EventStringTooLong,
}
