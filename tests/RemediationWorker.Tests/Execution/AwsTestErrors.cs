using System.Net;
using Amazon.Runtime;
using Amazon.SimpleSystemsManagement;

namespace RemediationWorker.Tests.Execution;

/// <summary>The errors SSM really answers with (aws-facts 2.1, 4.1).</summary>
internal static class AwsTestErrors
{
    public static AmazonSimpleSystemsManagementException Throttled()
        => new("Rate exceeded", ErrorType.Sender, "ThrottlingException", "req-1", HttpStatusCode.BadRequest);

    public static AmazonSimpleSystemsManagementException ServerError()
        => new("We encountered an internal error", ErrorType.Receiver, "InternalServerError", "req-2", HttpStatusCode.InternalServerError);

    public static AmazonSimpleSystemsManagementException AccessDenied()
        => new("not authorized to perform: iam:PassRole", ErrorType.Sender, "AccessDeniedException", "req-3", HttpStatusCode.BadRequest);
}
