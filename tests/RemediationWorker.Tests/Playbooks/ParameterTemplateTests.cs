using System.Text.Json;
using RemediationWorker.Playbooks;

namespace RemediationWorker.Tests.Playbooks;

public sealed class ParameterTemplateTests
{
    private static readonly ParameterOptions StackName = new()
    {
        Value = "{{detail.stack-id}}",
        AllowedPattern = "arn:aws:cloudformation:[a-z0-9-]+:[0-9]{12}:stack/[A-Za-z][A-Za-z0-9-]{0,127}/[0-9a-f-]{36}",
        MaxLength = 256,
    };

    [Fact]
    public void TryRender_ValidValue_RendersIt()
    {
        var arn = "arn:aws:cloudformation:eu-west-1:111122223333:stack/orders/7e1d5c20-6f1d-11ef-b2f4-0e9a8b7c6d5e";

        Assert.True(Create(StackName).TryRender(Event(arn), out var value, out _));
        Assert.Equal(arn, value);
    }

    [Theory]
    [InlineData("stack; rm -rf /")]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/orders; rm -rf /")]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/orders/7e1d5c20-6f1d-11ef-b2f4-0e9a8b7c6d5e\nrm -rf /")]
    [InlineData("arn:aws:cloudformation:eu-west-1:111122223333:stack/orders/7e1d5c20-6f1d-11ef-b2f4-0e9a8b7c6d5e\n")]
    public void TryRender_InjectionAttempt_FailsItsAllowedPattern(string hostile)
    {
        Assert.False(Create(StackName).TryRender(Event(hostile), out var value, out var error));
        Assert.Null(value);
        Assert.Contains("does not match allowedPattern", error, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRender_TenKilobyteValue_FailsMaxLengthWithShortReason()
    {
        var huge = new string('a', 10_240);

        Assert.False(Create(StackName).TryRender(Event(huge), out _, out var error));
        Assert.Contains("is longer than maxLength 256", error, StringComparison.Ordinal);
        Assert.Contains("(10240 chars)", error, StringComparison.Ordinal);
        Assert.True(error!.Length < 200);
    }

    [Fact]
    public void TryRender_FieldMissing_SaysWhich()
    {
        using var document = JsonDocument.Parse("""{"detail":{}}""");

        Assert.False(Create(StackName).TryRender(document.RootElement, out _, out var error));
        Assert.Equal("detail.stack-id is missing from the event", error);
    }

    [Fact]
    public void TryRender_FieldIsObject_IsRefused()
    {
        using var document = JsonDocument.Parse("""{"detail":{"stack-id":{"a":1}}}""");

        Assert.False(Create(StackName).TryRender(document.RootElement, out _, out var error));
        Assert.Equal("detail.stack-id is object, not a value", error);
    }

    [Fact]
    public void TryRender_LiteralsAndPlaceholders_Concatenate()
    {
        var template = Create(new ParameterOptions { Value = "retry {{detail.n}} in {{region}}", AllowedPattern = "retry [0-9]+ in [a-z0-9-]+" });
        using var document = JsonDocument.Parse("""{"region":"eu-west-1","detail":{"n":42}}""");

        Assert.True(template.TryRender(document.RootElement, out var value, out _));
        Assert.Equal("retry 42 in eu-west-1", value);
    }

    [Fact]
    public void TryCreate_CatastrophicPattern_TimesOutInsteadOfHanging()
    {
        var template = Create(new ParameterOptions { Value = "{{detail.x}}", AllowedPattern = "(a+)+b", MaxLength = 4096 });
        using var document = JsonDocument.Parse($$$"""{"detail":{"x":"{{{new string('a', 4000)}}}c"}}""");

        Assert.False(template.TryRender(document.RootElement, out _, out var error));
        Assert.NotNull(error);
    }

    private static ParameterTemplate Create(ParameterOptions options)
    {
        Assert.True(ParameterTemplate.TryCreate("P", options, out var template, out var errors), string.Join("; ", errors));
        return template;
    }

    private static JsonElement Event(string stackId)
        => JsonDocument.Parse(JsonSerializer.Serialize(new Dictionary<string, object> { ["detail"] = new Dictionary<string, string> { ["stack-id"] = stackId } })).RootElement;
}
