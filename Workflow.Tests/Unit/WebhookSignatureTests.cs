using System.Text;
using Microsoft.Extensions.Configuration;
using Workflow.Host.Messaging;

namespace Workflow.Tests.Unit;

public sealed class WebhookSignatureTests
{
    // Expected values computed independently with
    //   printf '%s' '<timestamp>.<body>' | openssl dgst -sha256 -hmac 'webhook-secret-for-tests'
    [Theory]
    [InlineData("{\"id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"type\":\"SectionApproved\",\"data\":{\"opinion\":\"同意\"}}", "sha256=0f749aa8c1612937f76f27e6452ed8106e95f70121a84c0fb9698dd490be42d6")]
    [InlineData("", "sha256=5f59dfbc99e69a469074a027969532d57a6f82c53dee8d86e5067ece7bcbc848")]
    public void The_signature_is_the_hmac_of_timestamp_dot_body(string body, string expected)
    {
        Assert.Equal(expected, WebhookSignature.Compute("webhook-secret-for-tests", 1767225600, Encoding.UTF8.GetBytes(body)));
    }

    [Fact]
    public void Another_timestamp_or_secret_gives_another_signature()
    {
        var body = Encoding.UTF8.GetBytes("{}");
        var signature = WebhookSignature.Compute("webhook-secret-for-tests", 1767225600, body);

        Assert.NotEqual(signature, WebhookSignature.Compute("webhook-secret-for-tests", 1767225601, body));
        Assert.NotEqual(signature, WebhookSignature.Compute("webhook-secret-for-test!", 1767225600, body));
    }

    [Fact]
    public void Events_may_be_one_comma_separated_value_and_are_matched_by_contract_name()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Name"] = "oa",
            ["Webhooks:Endpoints:0:Url"] = "https://oa.county.example/hooks/workflow",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
            ["Webhooks:Endpoints:0:Events"] = "sectionapproved, ReportCompleted",
            ["Webhooks:Endpoints:1:Name"] = "archive",
            ["Webhooks:Endpoints:1:Url"] = "http://127.0.0.1:8080/in",
            ["Webhooks:Endpoints:1:Secret"] = "fedcba9876543210",
        }).Build();

        var endpoints = WebhookSettings.Load(configuration).Endpoints;

        Assert.Equal(["ReportCompleted", "SectionApproved"], endpoints[0].Events.Order());
        Assert.True(endpoints[0].Wants("SectionApproved"));
        Assert.False(endpoints[0].Wants("TaskAssigned"));
        Assert.True(endpoints[1].Wants("TaskAssigned"));
        Assert.Equal("webhook:archive", endpoints[1].InboxKey);
        Assert.DoesNotContain("fedcba9876543210", endpoints[1].ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Two_endpoints_with_one_name_are_refused()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Webhooks:Endpoints:0:Name"] = "oa",
            ["Webhooks:Endpoints:0:Url"] = "https://a.example/",
            ["Webhooks:Endpoints:0:Secret"] = "0123456789abcdef",
            ["Webhooks:Endpoints:1:Name"] = "OA",
            ["Webhooks:Endpoints:1:Url"] = "https://b.example/",
            ["Webhooks:Endpoints:1:Secret"] = "0123456789abcdef",
        }).Build();

        var error = Assert.Throws<InvalidOperationException>(() => WebhookSettings.Load(configuration));

        Assert.Contains("Webhooks:Endpoints:1:Name", error.Message, StringComparison.Ordinal);
    }
}
