using RemediationWorker.Audit;

namespace RemediationWorker.IntegrationTests;

/// <summary>Hostile bodies from the queue (issue 15): a lone surrogate and a member twice are read, rejected with a
/// record naming the SQS message id and the rule, and dead-lettered; the good message after them is still handled.</summary>
[Collection(AwsScenarios.Name)]
public sealed class HostileSqsTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(40);
    private readonly AwsEndpoints _aws;

    public HostileSqsTests(AwsFixture fixture)
    {
        _aws = fixture.Aws;
        _aws.Front.StartRate = 0;
        _aws.Front.Down = false;
        _aws.Front.Outcome = "Success";
        _aws.Front.PollsToFinish = 1;
    }

    [Fact]
    public async Task Run_SurrogateAndDuplicateMembers_RejectedNamingTheMessageAndDeadLettered()
    {
        var (queue, deadLetter) = await _aws.CreateQueuesAsync("hostile");
        var good = TestEvents.Sample("cfn-stack-update-rollback-failed.json");
        var surrogate = await _aws.Sqs.SendMessageAsync(queue, good.Replace("\"version\"", "\"note\":\"\\ud800\",\"version\"", StringComparison.Ordinal));
        var duplicate = await _aws.Sqs.SendMessageAsync(queue, good.Replace("\"version\"", "\"id\":\"again\",\"version\"", StringComparison.Ordinal));

        await using var worker = new WorkerHarness(_aws, queue);
        await worker.StartAsync();
        await WorkerHarness.WaitUntilAsync(async () => await _aws.CountAsync(queue) == 0 && await _aws.CountAsync(deadLetter) == 2, Patience, "both hostile messages in the dead-letter queue");

        var rejected = worker.Of(AuditDecision.Rejected).ToDictionary(r => r.Input!, r => r.Reason!);
        Assert.StartsWith("lone-surrogate: ", rejected[$"sqs:{surrogate.MessageId}"], StringComparison.Ordinal);
        Assert.StartsWith("duplicate-member: \"id\"", rejected[$"sqs:{duplicate.MessageId}"], StringComparison.Ordinal);
        Assert.Empty(worker.Of(AuditDecision.Matched)); // the good body was never sent: nothing else to plan
    }
}
