using System.Text.Json.Nodes;
using RemediationWorker.Tests.TestSupport;

namespace RemediationWorker.Tests.Deploy;

/// <summary>The shipped playbooks and the runbook documents agree on document names and parameters.</summary>
public sealed class PlaybookRunbookContractTests
{
    public static TheoryData<string> PlaybookIds()
    {
        var data = new TheoryData<string>();
        foreach (var playbook in Playbooks())
        {
            data.Add((string)playbook["id"]!);
        }

        return data;
    }

    [Theory]
    [MemberData(nameof(PlaybookIds))]
    public void Playbook_Runbook_NamesADeployedDocumentAndOnlyItsParameters(string id)
    {
        var runbook = Playbooks().Single(p => (string?)p["id"] == id)["runbook"]!.AsObject();
        var documentName = (string)runbook["documentName"]!;
        var file = DeployFiles.DocumentNames.SingleOrDefault(d => d.Value == documentName).Key;
        Assert.True(file is not null, $"{id}: document {documentName} is not one of deploy/runbooks ({string.Join(", ", DeployFiles.DocumentNames.Values)})");

        var declared = YamlTree.Load(DeployFiles.Runbook(file))!["parameters"]!.AsObject();
        // The worker passes the playbook's automationAssumeRole as the document's AutomationAssumeRole.
        var given = runbook["parameters"]!.AsObject().Select(p => p.Key).Append("AutomationAssumeRole").ToHashSet(StringComparer.Ordinal);

        Assert.All(given, name => Assert.True(declared.ContainsKey(name), $"{id}: parameter {name} is not declared by {documentName}"));
        var required = declared.Where(p => p.Value is JsonObject o && !o.ContainsKey("default")).Select(p => p.Key);
        Assert.All(required, name => Assert.True(given.Contains(name), $"{id}: {documentName} requires {name}, which the playbook does not give"));
    }

    private static IEnumerable<JsonObject> Playbooks()
        => TestConfiguration.ShippedJson()["Remediation"]!["playbooks"]!.AsArray().Select(p => p!.AsObject());
}
