using System.Net;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Polly.CircuitBreaker;
using Polly.Timeout;

namespace RemediationWorker.Aws;

/// <summary>Sorts AWS failures into throttling, transient, fatal and the rest (the SDK's own
/// throttling codes and 5xx, as its retry policy sorts them; fatal: configuration and permission errors).</summary>
internal static class AwsErrors
{
    private static readonly HashSet<string> ThrottlingCodes = new(StringComparer.Ordinal)
    {
        "Throttling", "ThrottlingException", "ThrottledException", "RequestThrottledException", "TooManyRequestsException",
        "ProvisionedThroughputExceededException", "RequestLimitExceeded", "BandwidthLimitExceeded", "LimitExceededException",
        "RequestThrottled", "SlowDown", "PriorRequestNotComplete",
        "AWS.SimpleQueueService.RequestThrottled",

        // DynamoDB contention: another transaction holds the item, or the same ClientRequestToken is still running.
        "TransactionConflictException", "TransactionInProgressException",
    };

    /// <summary>Cancellation reasons of a DynamoDB transaction that say "try again", not "a condition failed".</summary>
    private static readonly HashSet<string> PassingCancellationCodes = new(StringComparer.Ordinal)
    {
        "None", "TransactionConflict", "ProvisionedThroughputExceeded", "ThrottlingError",
    };

    private static readonly HashSet<string> FatalCodes = new(StringComparer.Ordinal)
    {
        "AccessDenied", "AccessDeniedException", "AWS.SimpleQueueService.NonExistentQueue", "QueueDoesNotExist",
        "InvalidClientTokenId", "UnrecognizedClientException", "SignatureDoesNotMatch", "ExpiredToken", "ExpiredTokenException",
        "InvalidAccessKeyId", "MissingAuthenticationToken", "IncompleteSignature", "KMS.AccessDeniedException",
    };

    /// <summary>The service said slow down.</summary>
    public static bool IsThrottling(Exception exception)
        => exception is AmazonServiceException { ErrorCode: { } code } && ThrottlingCodes.Contains(code);

    /// <summary>Worth another attempt: throttling, 5xx, timeouts, network errors, an open breaker.</summary>
    public static bool IsTransient(Exception exception) => exception switch
    {
        AmazonServiceException service when IsThrottling(service) => true,
        TransactionCanceledException canceled => IsContention(canceled),
        AmazonServiceException { StatusCode: >= HttpStatusCode.InternalServerError } => true,
        AmazonServiceException { ErrorCode: "RequestTimeout" or "RequestTimeoutException" or "InternalServerError" or "InternalFailure" or "ServiceUnavailable" } => true,
        AmazonServiceException => false,
        TimeoutRejectedException or BrokenCircuitException => true,
        HttpRequestException or IOException or TimeoutException => true,
        OperationCanceledException => false,
        AmazonClientException { InnerException: { } inner } => IsTransient(inner),
        AmazonClientException => true,
        _ => false,
    };

    /// <summary>A cancelled transaction whose every reason passes (a conflicting transaction, throttling): no
    /// condition failed, so the same request may succeed later.</summary>
    public static bool IsContention(TransactionCanceledException canceled)
        => canceled.CancellationReasons is { Count: > 0 } reasons
           && reasons.All(r => PassingCancellationCodes.Contains(r.Code ?? "None"))
           && reasons.Any(r => r.Code is not (null or "None"));

    /// <summary>Retrying cannot help; someone must fix the configuration or the permissions.</summary>
    public static bool IsFatal(Exception exception)
        => exception is AmazonServiceException { ErrorCode: { } code } service
           && (FatalCodes.Contains(code) || service.StatusCode == HttpStatusCode.Forbidden || service.GetType().Name == "QueueDoesNotExistException");
}
