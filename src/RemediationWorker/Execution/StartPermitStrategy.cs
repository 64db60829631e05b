using Polly;

namespace RemediationWorker.Execution;

/// <summary>The <see cref="AdaptiveStartLimiter"/> as a step of the start pipeline, between the retry and the
/// attempt: every attempt, a retry after a throttle too, waits for its permit here, and neither the circuit
/// breaker nor the per-attempt timeout inside it counts that wait. (Waiting inside the timeout, a handler far back
/// in line timed out before its call was sent, and the breaker took those timeouts for SSM failing.)</summary>
internal sealed class StartPermitStrategy : ResilienceStrategy
{
    private readonly AdaptiveStartLimiter _limiter;

    public StartPermitStrategy(AdaptiveStartLimiter limiter) => _limiter = limiter;

    protected override async ValueTask<Outcome<TResult>> ExecuteCore<TResult, TState>(
        Func<ResilienceContext, TState, ValueTask<Outcome<TResult>>> callback, ResilienceContext context, TState state)
    {
        try
        {
            await _limiter.AcquireAsync(context.CancellationToken).ConfigureAwait(context.ContinueOnCapturedContext);
        }
        catch (OperationCanceledException ex)
        {
            return Outcome.FromException<TResult>(ex); // Polly strategies return failures, never throw them
        }

        return await callback(context, state).ConfigureAwait(context.ContinueOnCapturedContext);
    }
}
