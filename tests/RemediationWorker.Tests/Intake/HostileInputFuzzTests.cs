using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;
using CsCheck;
using Microsoft.Extensions.DependencyInjection;
using RemediationWorker.Audit;
using RemediationWorker.Intake;
using RemediationWorker.Tests.Audit;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Intake;

/// <summary>Property-based fuzzing (CsCheck) of the reader, the matcher and the renderer together, through the
/// event processor with the shipped playbooks: random and mutated events (bytes flipped, inserted and cut, members
/// duplicated, lone surrogates spliced in, random bytes). For every input: no exception escapes, an input the
/// strict reader refuses is rejected, a rejected one gets no other decision, and every audit line stays within 16 KiB. <c>FUZZ_ITERATIONS</c> sets the number of inputs (default 300: the suite's short run;
/// docs/benchmarks.md has a long one).</summary>
public sealed partial class HostileInputFuzzTests : IDisposable
{
    private readonly AuditTestDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    [Fact]
    public async Task ProcessAsync_RandomAndMutatedEvents_NeverThrowNeverBothRejectedAndMatchedLinesBounded()
    {
        var iterations = int.TryParse(Environment.GetEnvironmentVariable("FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) ? n : 300;
        var seeds = Directory.GetFiles(RepositoryPaths.SampleEvents, "*.json").Concat(Directory.GetFiles(HostileInputContractTests.Fixtures, "*.json"))
            .Order(StringComparer.Ordinal).Select(File.ReadAllBytes).ToArray();
        var path = _dir.File("fuzz-audit.jsonl");
        var sink = AuditTestData.OpenSink(path);
        await using var worker = new WorkerFixture(TestConfiguration.Shipped(), edges: s => s.AddSingleton<IAuditSink>(sink));
        var limits = worker.Catalog.Current.Limits;
        var counts = new int[3];

        var inputs = Gen.Select(Gen.Int[0, seeds.Length - 1], Gen.Int[0, 5], Gen.Int[0, int.MaxValue], Gen.Byte.Array[0, 24])
            .Select(t => Mutate(seeds[t.Item1], t.Item2, t.Item3, t.Item4));
        await inputs.SampleAsync(
            async body =>
            {
                var accepted = StrictJsonReader.TryCheck(body, limits, out _);
                var result = await worker.ProcessAsync(new IncomingEvent("fuzz.json", body));
                var rejected = result.Verdicts.Any(v => v.Decision == AuditDecision.Rejected);
                Interlocked.Increment(ref counts[rejected ? 0 : result.Verdicts.Any(v => v.Playbook is not null) ? 1 : 2]);
                // Refused by the reader: rejected. Rejected (also for a well-formed body that is not an event): nothing else.
                return (accepted || rejected) && (!rejected || result.Verdicts.Count == 1);
            },
            iter: iterations,
            threads: 1);
        await sink.DisposeAsync();

        Assert.All(File.ReadLines(path), line => Assert.InRange(Encoding.UTF8.GetByteCount(line), 1, 16 * 1024));
        Assert.True(counts[0] > 0 && counts[1] > 0, $"rejected {counts[0]}, matched {counts[1]}, no match {counts[2]}: the inputs should reach both sides");
    }

    /// <summary>One of six mutations of <paramref name="seed"/>, placed by <paramref name="at"/>.</summary>
    internal static byte[] Mutate(byte[] seed, int kind, int at, byte[] noise)
    {
        var position = seed.Length == 0 ? 0 : at % seed.Length;
        var text = Encoding.UTF8.GetString(seed);
        switch (kind)
        {
            case 0: // overwrite
                var overwritten = (byte[])seed.Clone();
                noise.AsSpan(0, Math.Min(noise.Length, seed.Length - position)).CopyTo(overwritten.AsSpan(position));
                return overwritten;
            case 1: // insert
                return [.. seed.AsSpan(0, position), .. noise, .. seed.AsSpan(position)];
            case 2: // cut
                return [.. seed.AsSpan(0, position), .. seed.AsSpan(Math.Min(seed.Length, position + noise.Length + 1))];
            case 3: // a member again, in the same object, with another value
                var members = MemberName().Matches(text);
                if (members.Count == 0)
                {
                    return seed;
                }

                var member = members[at % members.Count];
                var again = $"{member.Value}\"{Convert.ToHexString(noise)}\",";
                return Encoding.UTF8.GetBytes(text.Insert(member.Index, again));
            case 4: // a lone surrogate (or half of a pair) just inside a string
                var quotes = Regex.Matches(text, "\": ?\"");
                return quotes.Count == 0 ? seed : Encoding.UTF8.GetBytes(text.Insert(quotes[at % quotes.Count].Index + quotes[at % quotes.Count].Length, (at & 1) == 0 ? "\\ud800" : "\\udfff"));
            default: // random bytes
                return noise;
        }
    }

    [GeneratedRegex("\"[a-z-]+\": ?")]
    private static partial Regex MemberName();
}
