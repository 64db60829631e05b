using UUIDNext;

namespace RemediationWorker.Execution;

/// <summary>The <c>ClientToken</c> of a start: a name-based UUID (v5) of (event id, playbook id), so that a
/// redelivered event asks SSM for the same run and never starts a second one (the SSM API reference,
/// StartAutomationExecution: the ClientToken is a UUID).</summary>
internal static class ClientTokens
{
    /// <summary>This project's namespace for name-based UUIDs (fixed forever: changing it changes every token).</summary>
    public static readonly Guid Namespace = new("6f1c4f2e-8d0a-4b57-9d43-2a7be0c6f3d1");

    public static string For(string eventId, string playbookId)
        => Uuid.NewNameBased(Namespace, $"{eventId.Length}:{eventId}|{playbookId}").ToString();
}
