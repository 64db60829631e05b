namespace RemediationWorker.Aws;

/// <summary>The <c>Aws</c> section: where the clients connect. Credentials come from the default AWS chain
/// (environment, profile, ECS task role); nothing here holds a secret.</summary>
internal sealed class AwsOptions
{
    public const string SectionName = "Aws";

    /// <summary>The region, for example <c>eu-west-1</c>; empty takes the SDK's default chain (<c>AWS_REGION</c>).</summary>
    public string Region { get; set; } = string.Empty;

    /// <summary>SQS client settings (<c>Aws:Sqs:ServiceUrl</c>).</summary>
    public AwsServiceOptions Sqs { get; set; } = new();

    /// <summary>SSM client settings (<c>Aws:Ssm:ServiceUrl</c>).</summary>
    public AwsServiceOptions Ssm { get; set; } = new();

    /// <summary>DynamoDB client settings for the shared ledger (<c>Aws:DynamoDb:ServiceUrl</c>).</summary>
    public AwsServiceOptions DynamoDb { get; set; } = new();
}
