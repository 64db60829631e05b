using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Polly;
using Polly.CircuitBreaker;
using Polly.Retry;
using Polly.Timeout;
using RemediationWorker.Execution;

namespace RemediationWorker.Aws;

/// <summary>The one place where AWS calls are retried: a keyed Polly v8 pipeline per operation,
/// retry (exponential, jitter, cap, bounded attempts) around a circuit breaker around a per-attempt timeout; the
/// start pipeline also waits for the shared start rate between the retry and the breaker
/// (<see cref="StartPermitStrategy"/>). The SDK clients retry nothing (<see cref="AwsClientFactory"/>).</summary>
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
            services.AddResiliencePipeline(key, (builder, context) => Configure(
                builder,
                context.ServiceProvider.GetRequiredService<IOptions<AwsResilienceOptions>>().Value,
                key == SsmStart ? new StartPermitStrategy(context.ServiceProvider.GetRequiredService<AdaptiveStartLimiter>()) : null));
        }

        return services;
    }

    /// <summary>Shapes one pipeline; public so the tests can build the same one on fake time.</summary>
    /// <param name="beforeEachAttempt">Runs before every attempt, outside the breaker and the attempt's timeout.</param>
    public static ResiliencePipelineBuilder Configure(ResiliencePipelineBuilder builder, AwsResilienceOptions options, ResilienceStrategy? beforeEachAttempt = null)
    {
        if (options.MaxRetryAttempts > 0)
        {
            // Polly refuses a retry of zero attempts; zero (allowed by the options) means no retry strategy at all.
            builder.AddRetry(new RetryStrategyOptions
            {
                ShouldHandle = new PredicateBuilder().Handle<Exception>(AwsErrors.IsTransient),
                BackoffType = DelayBackoffType.Exponential,
                UseJitter = true,
                Delay = options.BaseDelay,
                MaxDelay = options.MaxDelay,
                MaxRetryAttempts = options.MaxRetryAttempts,
            });
        }

        if (beforeEachAttempt is not null)
        {
            builder.AddStrategy(_ => beforeEachAttempt, new StartPermitStrategyOptions());
        }

        return builder
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
}
