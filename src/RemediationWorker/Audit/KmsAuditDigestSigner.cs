using Amazon.KeyManagementService;
using Amazon.KeyManagementService.Model;
using Microsoft.Extensions.Configuration;
using RemediationWorker.Aws;

namespace RemediationWorker.Audit;

/// <summary>Signs digests with a KMS asymmetric key (<c>ECC_NIST_P256</c>, <c>ECDSA_SHA_256</c>, message type RAW):
/// KMS returns the signature DER-encoded, which <c>audit verify --public-key</c> checks offline
/// (https://docs.aws.amazon.com/kms/latest/APIReference/API_Sign.html).</summary>
internal sealed class KmsAuditDigestSigner : IAuditDigestSigner
{
    private readonly IAmazonKeyManagementService _kms;

    public KmsAuditDigestSigner(IAmazonKeyManagementService kms, string keyId)
    {
        _kms = kms;
        KeyId = keyId;
    }

    public string KeyId { get; }

    /// <summary>A signer whose client follows the environment as the configuration's S3 client does: <c>Aws__Region</c>,
    /// <c>Aws__Kms__ServiceUrl</c>, else <c>AWS_ENDPOINT_URL_KMS</c> or <c>AWS_ENDPOINT_URL</c>.</summary>
    public static KmsAuditDigestSigner Create(string keyId)
    {
        var environment = new ConfigurationBuilder().AddEnvironmentVariables().Build();
        var endpoint = new[] { environment["Aws:Kms:ServiceUrl"], environment["AWS_ENDPOINT_URL_KMS"], environment["AWS_ENDPOINT_URL"] }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v));
        var region = new[] { environment["Aws:Region"], environment["AWS_REGION"], environment["AWS_DEFAULT_REGION"] }
            .FirstOrDefault(v => !string.IsNullOrWhiteSpace(v)) ?? string.Empty;
        var config = AwsClientFactory.Configure(new AmazonKeyManagementServiceConfig(), region, new AwsServiceOptions { ServiceUrl = endpoint ?? string.Empty });
        config.MaxErrorRetry = 3; // a digest is signed at most once a segment: the SDK's own retries suffice
        return new KmsAuditDigestSigner(new AmazonKeyManagementServiceClient(config), keyId);
    }

    public async Task<byte[]> SignAsync(byte[] message, CancellationToken cancellationToken)
    {
        var response = await _kms.SignAsync(new SignRequest
        {
            KeyId = KeyId,
            Message = new MemoryStream(message, writable: false),
            MessageType = MessageType.RAW,
            SigningAlgorithm = SigningAlgorithmSpec.ECDSA_SHA_256,
        }, cancellationToken);
        return response.Signature.ToArray();
    }
}
