using System.Text;
using RemediationWorker.Commands;

namespace RemediationWorker.Audit;

/// <summary>Selects records from one or more audit files and prints them as one timeline: each file in its own
/// order, files merged by time (ties in the order the files were given).</summary>
internal static class AuditQuery
{
    /// <returns>0 when every file verifies; 1 when one does not (a warning on <paramref name="error"/> before anything
    /// is printed, its records still shown) or some lines are not valid records (skipped and named on
    /// <paramref name="error"/>); 2 when a file cannot be opened (nothing is printed).</returns>
    public static async Task<int> RunAsync(
        IReadOnlyList<string> paths,
        AuditQueryFilter filter,
        AuditQueryFormat format,
        TextWriter output,
        TextWriter error,
        CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(paths);
        ArgumentNullException.ThrowIfNull(filter);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);

        var unverified = await AuditFileCheck.WarnAsync(await AuditFileCheck.VerifyAsync(paths, cancellationToken), error);
        var cursors = new List<Cursor>(paths.Count);
        try
        {
            foreach (var path in paths)
            {
                try
                {
                    cursors.Add(new Cursor(path, AuditFiles.OpenRead(path), filter, format == AuditQueryFormat.Json, error));
                }
                catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
                {
                    await error.WriteLineAsync($"error: cannot read {path}: {ex.Message}");
                    return ExitCodes.Unreadable;
                }
            }

            // A k-way merge: the head of every file waits in the queue, ordered by time, then by file.
            var heads = new PriorityQueue<Cursor, (DateTimeOffset Time, int File)>(cursors.Count);
            for (var i = 0; i < cursors.Count; i++)
            {
                if (await cursors[i].MoveNextAsync(cancellationToken))
                {
                    heads.Enqueue(cursors[i], (cursors[i].Record.Time, i));
                }
            }

            var table = new AuditQueryTable();
            if (format == AuditQueryFormat.Csv)
            {
                await AuditQueryCsv.WriteHeaderAsync(output);
            }

            while (heads.TryDequeue(out var cursor, out var key))
            {
                switch (format)
                {
                    case AuditQueryFormat.Json:
                        await output.WriteAsync(cursor.Line);
                        await output.WriteAsync('\n');
                        break;
                    case AuditQueryFormat.Csv:
                        await AuditQueryCsv.WriteRowAsync(cursor.Record, output);
                        break;
                    default:
                        table.Add(cursor.Record);
                        break;
                }

                if (await cursor.MoveNextAsync(cancellationToken))
                {
                    heads.Enqueue(cursor, (cursor.Record.Time, key.File));
                }
            }

            if (format == AuditQueryFormat.Table)
            {
                await table.WriteAsync(output);
            }

            return unverified || cursors.Any(c => c.SkippedLines > 0) ? ExitCodes.Finding : ExitCodes.Done;
        }
        finally
        {
            foreach (var cursor in cursors)
            {
                await cursor.DisposeAsync();
            }
        }
    }

    /// <summary>Reads one file, skipping lines the filter rejects and lines that are not valid records.</summary>
    private sealed class Cursor : IAsyncDisposable
    {
        private readonly string _path;
        private readonly FileStream _stream;
        private readonly AuditLineReader _reader;
        private readonly AuditQueryFilter _filter;
        private readonly bool _keepLine;
        private readonly TextWriter _error;

        public Cursor(string path, FileStream stream, AuditQueryFilter filter, bool keepLine, TextWriter error)
        {
            _path = path;
            _stream = stream;
            _reader = new AuditLineReader(stream);
            _filter = filter;
            _keepLine = keepLine;
            _error = error;
        }

        public StoredAuditRecord Record { get; private set; } = null!;

        /// <summary>The stored line, kept only for JSON output.</summary>
        public string Line { get; private set; } = string.Empty;

        public int SkippedLines { get; private set; }

        public async ValueTask<bool> MoveNextAsync(CancellationToken cancellationToken)
        {
            while (true)
            {
                try
                {
                    if (!await _reader.ReadLineAsync(cancellationToken))
                    {
                        return false;
                    }
                }
                catch (InvalidDataException ex)
                {
                    await SkipAsync(_reader.LineNumber + 1, ex.Message);
                    return false;
                }

                var line = _reader.Current.Span;
                if (!_reader.IsTerminated)
                {
                    await SkipAsync(_reader.LineNumber, "incomplete line (no line end)");
                    continue;
                }

                if (!AuditChain.TryParse(line, out var record, out var problem))
                {
                    await SkipAsync(_reader.LineNumber, problem);
                    continue;
                }

                if (_filter.Matches(record))
                {
                    Record = record;
                    Line = _keepLine ? Encoding.UTF8.GetString(line) : string.Empty;
                    return true;
                }
            }
        }

        public ValueTask DisposeAsync() => _stream.DisposeAsync();

        private async Task SkipAsync(long lineNumber, string problem)
        {
            SkippedLines++;
            await _error.WriteLineAsync($"warning: {_path}:{lineNumber}: skipped, {problem}");
        }
    }
}
