using System.CommandLine;
using System.Text;

namespace RemediationWorker.Commands;

/// <summary>Standard output for commands that may write many lines.</summary>
internal static class CommandOutput
{
    /// <summary>Runs <paramref name="action"/> with a buffered stdout (the console writer flushes on every write,
    /// which is slow for large outputs), or with the writer a test configured.</summary>
    public static async Task<int> WithOutputAsync(ParseResult parseResult, Func<TextWriter, Task<int>> action)
    {
        var output = parseResult.InvocationConfiguration.Output;
        if (!ReferenceEquals(output, Console.Out))
        {
            return await action(output);
        }

        await using var buffered = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false), 64 * 1024);
        return await action(buffered);
    }
}
