using System.Text.Json.Nodes;
using RemediationWorker.Testing;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The runbooks' side of the outcome contract with the worker (docs/playbooks.md): every id a run causes is
/// a StringList step output named CausedIds, listed in the document's outputs; tokens derive from the execution id.</summary>
public sealed class RunbookOutcomeContractTests
{
    public static TheoryData<string> Files => DeployFiles.RunbookFiles();

    [Theory]
    [MemberData(nameof(Files))]
    public void CausedIds_EveryDocument_HasThemAsStringListsListedInItsOutputs(string file)
    {
        var document = RunbookDocumentTests.Load(file);
        var outputs = document["outputs"]!.AsArray().Select(o => o!.GetValue<string>()).ToHashSet(StringComparer.Ordinal);

        var caused = Steps(document)
            .SelectMany(step => (step["outputs"]?.AsArray() ?? []).Select(o => (Step: step["name"]!.GetValue<string>(), Output: o!.AsObject())))
            .Where(o => o.Output["Name"]!.GetValue<string>() == "CausedIds")
            .ToList();

        Assert.NotEmpty(caused);
        foreach (var (step, output) in caused)
        {
            Assert.Equal("StringList", output["Type"]!.GetValue<string>());
            Assert.Contains($"{step}.CausedIds", outputs);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void CausedIds_EveryOutput_IsDocumentedInPlaybooksMd(string file)
    {
        var documentation = File.ReadAllText(Path.Combine(RepositoryPaths.Root, "docs", "playbooks.md"));

        foreach (var output in RunbookDocumentTests.Load(file)["outputs"]!.AsArray().Select(o => o!.GetValue<string>()).Where(o => o.EndsWith(".CausedIds", StringComparison.Ordinal)))
        {
            Assert.Contains($"`{output}`", documentation, StringComparison.Ordinal);
        }
    }

    [Theory]
    [MemberData(nameof(Files))]
    public void Tokens_EveryTokenPassedToAws_DerivesFromTheExecutionId(string file)
    {
        foreach (var step in Steps(RunbookDocumentTests.Load(file)))
        {
            if (step["inputs"]?["InputPayload"]?["Token"] is JsonValue token)
            {
                Assert.Matches(@"^(RemediationWorker-)?\{\{ automation:EXECUTION_ID \}\}(-[0-9]+)?$", token.GetValue<string>());
            }
        }
    }

    [Fact]
    public void Tokens_TheRollbackDocument_NumbersEachContinuationDistinctly()
    {
        var tokens = Steps(RunbookDocumentTests.Load("continue-update-rollback.yaml"))
            .Select(s => s["inputs"]?["InputPayload"]?["Token"]?.GetValue<string>())
            .OfType<string>()
            .ToList();

        Assert.Equal(["RemediationWorker-{{ automation:EXECUTION_ID }}-1", "RemediationWorker-{{ automation:EXECUTION_ID }}-2"], tokens);
    }

    private static IEnumerable<JsonObject> Steps(JsonObject document) => document["mainSteps"]!.AsArray().Select(s => s!.AsObject());
}
