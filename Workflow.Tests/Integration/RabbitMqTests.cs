using System.Net;
using System.Text.Json;
using MassTransit;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Tests.Integration;

public sealed class RabbitMqTests(RabbitMqWorkflowApp app) : IClassFixture<RabbitMqWorkflowApp>
{
    [Fact]
    public async Task Through_a_real_broker_an_approval_becomes_a_notice_for_the_next_reviewers()
    {
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, "经由消息代理"));
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "发展党员12名。");

        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意"), HttpStatusCode.OK);

        Assert.Equal("rabbitmq", app.Services.GetRequiredService<IBus>().Address.Scheme);
        var secretary = await app.As("committee.secretary");
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var notices = await Api.Read<JsonElement[]>(await secretary.GetAsync("/api/notifications"));
            if (notices.Any(n => n.GetProperty("sectionId").GetString() == section.ToString() && n.GetProperty("kind").GetString() == "task-assigned"))
            {
                break;
            }

            Assert.True(DateTime.UtcNow < deadline, "the notice did not arrive through RabbitMQ within 30 s");
            await Task.Delay(200, TestContext.Current.CancellationToken);
        }
    }
}
