using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;

namespace RemediationWorker.Aws;

/// <summary>The one place where AWS calls are retried: a keyed Polly v8 pipeline per operation (style.md #9),
/// retry (exponential, jitter, cap, bounded attempts) around a circuit breaker around a per-attempt timeout.
/// The SDK clients retry nothing (<see cref="AwsClientFactory"/>).</summary>
internal static class AwsResiliencePipelines
{
    public const string SsmStart = "ssm:StartAutomationExecution";
    public const string SsmGet = "ssm:GetAutomationExecution";
    public const string SsmStop = "ssm:StopAutomationExecution";
    public const string SsmDescribe = "ssm:DescribeAutomationExecutions";
    public const string SsmOpsItem = "ssm:CreateOpsItem";
    public const string SqsDelete = "sqs:DeleteMessageBatch";
    public const string SqsVisibility = "sqs:ChangeMessageVisibility";
    public const string DynamoDbRead = "dynamodb:BatchGetItem";
    public const string DynamoDbTransact = "dynamodb:TransactWriteItems";
    public const string DynamoDbUpdate = "dynamodb:UpdateItem";
    public const string DynamoDbPut = "dynamodb:PutItem";

    public static readonly string[] Keys = [SsmStart, SsmGet, SsmStop, SsmDescribe, SsmOpsItem, SqsDelete, SqsVisibility, DynamoDbRead, DynamoDbTransact, DynamoDbUpdate, DynamoDbPut];

    public static IServiceCollection AddAwsResiliencePipelines(this IServiceCollection services)
    {
        services.AddOptionsWithValidateOnStart<AwsResilienceOptions, AwsResilienceOptionsValidator>()
            .BindConfiguration(AwsResilienceOptions.SectionName);
        foreach (var key in Keys)
        {
            services.AddResiliencePipeline(key, (builder, context) =>
                Configure(builder, context.ServiceProvider.GetRequiredService<IOptions<AwsResilienceOptions>>().Value));
        }

        return services;
    }

    /// <summary>Shapes one pipeline; public so the tests can build the same one on fake time.</summary>
    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, AwsResilienceOptions options)
        => builder
            .AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(AwsErrors.IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                MaxRetryAttempts = options.MaxRetryAttempts,
            })
            .AddCircuitBreaker(new CircuitBreakerStrategyOptions
            {
                // Throttling is SSM's rate speaking, not its health: the rate limiter answers it; the breaker
                // opens on 5xx, timeouts and network failures.
                ShouldHandle = new PredicateBuilder().Handle<Exception>(ex => AwsErrors.IsTransient(ex) && !AwsErrors.IsThrottling(ex)),
                FailureRatio = options.BreakerFailureRatio,
                MinimumThroughput = options.BreakerMinimumThroughput,
                SamplingDuration = options.BreakerSamplingDuration,
                BreakDuration = options.BreakerBreakDuration,
            })
            .AddTimeout(new TimeoutStrategyOptions { Timeout = options.AttemptTimeout });
}
