using Amazon.Runtime;
using RemediationWorker.Aws;

namespace RemediationWorker.Diagnostics;

/// <summary>Counts every request an SDK client sends, at the client itself (its <c>AfterResponseEvent</c> and
/// <c>ExceptionEvent</c>), so no call site can forget one: the SQS, SSM and DynamoDB call counters and the throttle
/// counter of <see cref="WorkerMetrics"/>, by operation and result. The SDK's own retries are off (AwsClientFactory), so one
/// event is one request.</summary>
internal static class AwsCallMetrics
{
    /// <summary>Attaches the counters to <paramref name="client"/> when it is an SDK client (a test double is
    /// left alone) and returns it.</summary>
    public static T Attach<T>(T client, string service, WorkerMetrics metrics)
        where T : class
    {
        if (client is AmazonServiceClient sdk)
        {
            sdk.AfterResponseEvent += (_, e) =>
            {
                if (e is WebServiceResponseEventArgs response)
                {
                    metrics.AwsCall(service, OperationOf(response.Request), "ok");
                }
            };
            sdk.ExceptionEvent += (_, e) =>
            {
                if (e is WebServiceExceptionEventArgs failure)
                {
                    metrics.AwsCall(service, OperationOf(failure.Request), ResultOf(failure.Exception));
                }
            };
        }

        return client;
    }

    /// <summary><c>ok</c>, <c>throttled</c> or <c>error</c>.</summary>
    public static string ResultOf(Exception? exception)
        => exception is null ? "ok" : AwsErrors.IsThrottling(exception) ? "throttled" : "error";

    /// <summary>The API name from the request type: <c>ReceiveMessageRequest</c> → <c>ReceiveMessage</c>.</summary>
    public static string OperationOf(AmazonWebServiceRequest? request)
    {
        var name = request?.GetType().Name ?? WorkerMetrics.None;
        return name.EndsWith("Request", StringComparison.Ordinal) ? name[..^"Request".Length] : name;
    }
}
