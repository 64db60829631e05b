using System.CommandLine;
using System.CommandLine.Invocation;
using System.Security.Cryptography;
using Amazon.S3;
using RemediationWorker.Audit;
using RemediationWorker.Configuration;

namespace RemediationWorker.Commands;

/// <summary><c>audit verify FILE…|DIR|s3://bucket/prefix [--digests DIR|s3://bucket/prefix] [--public-key FILE]</c>
/// (docs/audit-log.md, "Checking: audit verify"). Files of one chain (its segments and its open file) are one
/// timeline, checked against the chain's digests: <c>--digests</c>, else <c>digests/</c> beside the files when it
/// exists. Exit 0 when everything verifies and every record is anchored (or there are no digests: a note says so),
/// 1 for a finding (a broken link, a cut-off tail, unanchored records, a broken digest, a missing worker), 2 when
/// something cannot be read.</summary>
internal static class AuditVerifyCommand
{
    public static Command Create(Func<Func<ParseResult, CancellationToken, Task<int>>, AsynchronousCommandLineAction> action)
    {
        var files = new Argument<string[]>("files")
        {
            Description = "Audit files, folders of segments, or an archive s3://bucket/prefix; the files of one chain are one timeline.",
            Arity = ArgumentArity.OneOrMore,
        };
        var digests = new Option<string?>("--digests")
        {
            Description = "The digests: a folder, or the archive s3://bucket/prefix (default: digests/ beside the files).",
        };
        var publicKey = new Option<string?>("--public-key")
        {
            Description = "A PEM public key (the KMS signing key's): every digest must carry a valid signature.",
        };
        var verify = new Command(
            "verify",
            "Check the hash chain of each file and its digests. Prints 'ok N records  FILE' or 'broken at line N: WHAT  FILE' per file, "
            + "then 'anchored: …' or 'unanchored: …' per chain. Exit 0 when all verify, 1 on a finding, 2 on a usage error or when something cannot be read.");
        verify.Arguments.Add(files);
        verify.Options.Add(digests);
        verify.Options.Add(publicKey);
        verify.Action = action((parseResult, cancellationToken) => CommandOutput.WithOutputAsync(parseResult, output => RunAsync(
            parseResult.GetRequiredValue(files),
            parseResult.GetValue(digests),
            parseResult.GetValue(publicKey),
            output,
            parseResult.InvocationConfiguration.Error,
            () => S3ClientFactory.Create(Environment.GetEnvironmentVariable),
            cancellationToken)));
        return verify;
    }

    public static async Task<int> RunAsync(
        IReadOnlyList<string> inputs,
        string? digests,
        string? publicKeyPath,
        TextWriter output,
        TextWriter error,
        Func<IAmazonS3> s3,
        CancellationToken cancellationToken)
    {
        using var publicKey = publicKeyPath is null ? null : ECDsa.Create();
        if (publicKey is not null)
        {
            try
            {
                publicKey.ImportFromPem(await File.ReadAllTextAsync(publicKeyPath!, cancellationToken));
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or ArgumentException or CryptographicException)
            {
                await error.WriteLineAsync($"error: cannot read the public key {publicKeyPath}: {ex.Message}");
                return ExitCodes.Unreadable;
            }
        }

        var scratch = Directory.CreateTempSubdirectory("audit-verify-").FullName;
        try
        {
            var chains = new AuditVerifyInputs();
            var exitCode = ExitCodes.Done;
            string? digestRoot = digests;
            IReadOnlyList<string> archiveWorkers = [];
            if (digests is not null && AuditS3Download.TryParse(digests, out var bucket, out var prefix))
            {
                digestRoot = Path.Combine(scratch, "digests");
                if (await DownloadAsync(s3, bucket, prefix, digestRoot, digestsOnly: true, error, cancellationToken) is not { } downloaded)
                {
                    return ExitCodes.Unreadable;
                }

                archiveWorkers = downloaded;
            }

            foreach (var input in inputs)
            {
                if (AuditS3Download.TryParse(input, out var inputBucket, out var inputPrefix))
                {
                    var workers = await DownloadAsync(s3, inputBucket, inputPrefix, Path.Combine(scratch, "archive"), digestsOnly: false, error, cancellationToken);
                    if (workers is null)
                    {
                        return ExitCodes.Unreadable;
                    }

                    foreach (var worker in workers)
                    {
                        exitCode = Math.Max(exitCode, await ReportMissingSegmentsAsync(worker, output));
                        chains.AddFolder(worker);
                    }
                }
                else if (Directory.Exists(input))
                {
                    chains.AddFolder(input);
                }
                else
                {
                    chains.AddFile(input);
                }
            }

            var verifier = new AuditTimelineVerifier(output, error, publicKey);
            var used = new HashSet<string>(StringComparer.Ordinal);
            foreach (var chain in chains.Chains)
            {
                var folder = DigestFolder(chain.Folder, chain.Name, chain.Files, digestRoot, archiveWorkers);
                used.Add(folder ?? string.Empty);
                await verifier.VerifyChainAsync(DigestChainName(folder, chain.Name), chain.Files, folder, chain.Complete, cancellationToken);
            }

            foreach (var worker in archiveWorkers)
            {
                exitCode = Math.Max(exitCode, await ReportMissingWorkerAsync(worker, used, digests!, output));
            }

            return Math.Max(exitCode, verifier.ExitCode);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static async Task<IReadOnlyList<string>?> DownloadAsync(
        Func<IAmazonS3> s3, string bucket, string prefix, string target, bool digestsOnly, TextWriter error, CancellationToken cancellationToken)
    {
        try
        {
            using var client = s3();
            return await AuditS3Download.DownloadAsync(client, bucket, prefix, target, digestsOnly, cancellationToken);
        }
        catch (AmazonS3Exception ex)
        {
            await error.WriteLineAsync($"error: cannot read s3://{bucket}/{prefix}: {ex.ErrorCode} {ex.Message}");
            return null;
        }
    }

    /// <summary>The digest folder of a chain: <c>--digests</c> (for an archive: the worker folder holding that chain's
    /// digests), else <c>digests/</c> beside its files when that exists.</summary>
    private static string? DigestFolder(string folder, string chainName, IReadOnlyList<string> files, string? digestRoot, IReadOnlyList<string> archiveWorkers)
    {
        if (archiveWorkers.Count > 0)
        {
            // Replicas share a chain name (the image's Audit:Path): the worker whose digests name the files' worker.
            var candidates = archiveWorkers.Select(w => Path.Combine(w, "digests"))
                .Where(d => Directory.Exists(d) && Directory.EnumerateFiles(d, chainName + ".*" + AuditSegmentNames.DigestExtension).Any())
                .ToList();
            return candidates.FirstOrDefault(d => DigestWorker(d, chainName) == FirstWorker(files)) ?? candidates.FirstOrDefault() ?? digestRoot;
        }

        if (digestRoot is not null)
        {
            return digestRoot;
        }

        var beside = Path.Combine(folder, "digests");
        return Directory.Exists(beside) ? beside : null;
    }

    private static string? DigestWorker(string digests, string chainName)
    {
        var first = Directory.EnumerateFiles(digests, chainName + ".*" + AuditSegmentNames.DigestExtension).First();
        return AuditDigest.TryParse(File.ReadAllBytes(first), out var digest, out _) ? digest!.WorkerId : null;
    }

    /// <summary>The worker of the first record of the first readable file.</summary>
    private static string? FirstWorker(IReadOnlyList<string> files)
    {
        foreach (var file in files)
        {
            try
            {
                using var reader = new StreamReader(AuditFiles.OpenRead(file));
                if (reader.ReadLine() is { } line && AuditChain.TryParse(System.Text.Encoding.UTF8.GetBytes(line), out var record, out _))
                {
                    return record.WorkerId;
                }
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                // reported when the file is verified
            }
        }

        return null;
    }

    /// <summary>The chain whose digests a file is checked against: the one its name says, or, for a file renamed
    /// (a copy kept as evidence), the only chain the digest folder holds.</summary>
    private static string DigestChainName(string? folder, string chainName)
    {
        if (folder is null || !Directory.Exists(folder) || Directory.EnumerateFiles(folder, chainName + ".*" + AuditSegmentNames.DigestExtension).Any())
        {
            return chainName;
        }

        var names = DigestChains(Path.GetDirectoryName(folder)!, Path.GetFileName(folder)).Select(c => c.Name).ToList();
        return names.Count == 1 ? names[0] : chainName;
    }

    /// <summary>A worker in the archive whose digests none of the given files were verified against.</summary>
    private static async Task<int> ReportMissingWorkerAsync(string worker, HashSet<string> used, string archive, TextWriter output)
    {
        var exitCode = ExitCodes.Done;
        foreach (var (name, lastSeq) in DigestChains(worker))
        {
            if (!used.Contains(Path.Combine(worker, "digests")))
            {
                await output.WriteLineAsync($"missing worker: {Path.GetFileName(worker)} has digests of {name} up to seq {lastSeq}, and none of its files was given  {archive}");
                exitCode = ExitCodes.Finding;
            }
        }

        return exitCode;
    }

    /// <summary>In an archive: a worker folder with digests of a chain and none of its segments.</summary>
    private static async Task<int> ReportMissingSegmentsAsync(string worker, TextWriter output)
    {
        var exitCode = ExitCodes.Done;
        foreach (var (name, lastSeq) in DigestChains(worker))
        {
            if (!Directory.EnumerateFiles(worker, "*" + AuditSegmentNames.SegmentExtension).Any(f => AuditSegmentNames.ChainName(f) == name))
            {
                await output.WriteLineAsync($"missing worker: {Path.GetFileName(worker)} has digests of {name} up to seq {lastSeq} and no segment  {worker}");
                exitCode = ExitCodes.Finding;
            }
        }

        return exitCode;
    }

    private static IEnumerable<(string Name, long LastSeq)> DigestChains(string worker, string digests = "digests")
    {
        var folder = Path.Combine(worker, digests);
        if (!Directory.Exists(folder))
        {
            return [];
        }

        return Directory.EnumerateFiles(folder, "*" + AuditSegmentNames.DigestExtension)
            .Select(f => (Ok: AuditSegmentNames.TryParseDigest(f, out var name, out var seq), Name: name, Seq: seq))
            .Where(d => d.Ok)
            .GroupBy(d => d.Name, StringComparer.Ordinal)
            .Select(g => (g.Key, g.Max(d => d.Seq)));
    }
}
