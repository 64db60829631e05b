using System.Text.Json.Nodes;

namespace RemediationWorker.Tests.Deploy.RunbookSimulation;

/// <summary>Recorded CloudFormation responses for one stack, app-web, shared by the stack runbooks' tests.</summary>
internal static class CloudFormationRecordings
{
    public const string StackArn = "arn:aws:cloudformation:us-east-1:111122223333:stack/app-web/0b4d4c8e-9a7f-3d2b-1c0e-9f885f6c1e2a";
    public const string ServiceRole = "arn:aws:iam::111122223333:role/app-web-cloudformation";
    public const string ParentArn = "arn:aws:cloudformation:us-east-1:111122223333:stack/app/1a2b";

    /// <summary>A DescribeStacks response: the stack with its status, service role (none when null) and parent.</summary>
    public static string Stack(string status, string? role = ServiceRole, string? parentId = null)
    {
        var stack = new JsonObject
        {
            ["StackName"] = "app-web", ["StackId"] = StackArn, ["StackStatus"] = status,
            ["Parameters"] = new JsonArray(new JsonObject { ["ParameterKey"] = "Env", ["ParameterValue"] = "prod" }),
            ["Capabilities"] = new JsonArray("CAPABILITY_IAM"),
        };
        if (role is not null)
        {
            stack["RoleARN"] = role;
        }

        if (parentId is not null)
        {
            stack["ParentId"] = parentId;
            stack["RootId"] = parentId;
        }

        return new JsonObject { ["Stacks"] = new JsonArray(stack) }.ToJsonString();
    }

    /// <summary>A DescribeStackEvents response whose newest event belongs to the operation with this token.</summary>
    public static string NewestEvent(string token) =>
        $$"""{"StackEvents": [{"StackId": "{{StackArn}}", "LogicalResourceId": "app-web", "ResourceStatus": "UPDATE_IN_PROGRESS", "ClientRequestToken": "{{token}}"}]}""";

    /// <summary>Runs a stack runbook on app-web.</summary>
    public static SimulatedRun Run(string file, JsonObject parameters, string responses)
    {
        parameters["StackName"] = StackArn;
        return RunbookSimulator.Run(file, parameters, responses);
    }
}
