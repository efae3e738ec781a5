using System.Net;
using System.Text.Json;

namespace Workflow.Tests.Integration;

/// <summary>
/// The demo county uses more than one route: next half-year's clean-governance plan is countersigned by 纪委 and 组织部,
/// and the ideology plan needs both committee members, as a newcomer clicking through the demo meets them.
/// </summary>
public sealed class DemoRouteTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private const string Clean = "一是从严落实“两个责任”不懈怠，全年开展廉政谈话36人次。";

    private async Task<(Guid Section, int Version)> Submit(string author, string titlePart)
    {
        var client = await app.As(author);
        var tasks = await Api.Read<JsonElement[]>(await client.GetAsync("/api/tasks"));
        var section = tasks.Single(t => t.GetProperty("sectionTitle").GetString()!.Contains(titlePart, StringComparison.Ordinal)).GetProperty("sectionId").GetGuid();
        var edited = await Api.Read<JsonElement>(await Api.Edit(client, section, Clean, 1, "补齐数字"));
        var version = edited.GetProperty("version").GetInt32();
        await Api.Expect(await Api.Decide(client, section, "submit", version), HttpStatusCode.OK);
        return (section, version);
    }

    private async Task<string> Approve(string who, Guid section, int version) =>
        (await Api.Read<JsonElement>(await Api.Decide(await app.As(who), section, "approve", version, "同意。"))).GetProperty("stage").GetString()!;

    [Fact]
    public async Task The_clean_governance_plan_is_countersigned_by_jiwei_and_zuzhi_before_the_committee()
    {
        var (section, version) = await Submit("jiwei.author", "风清气正");

        Assert.Equal("cosign", await Approve("jiwei.head", section, version));
        Assert.Equal("committee", await Approve("zuzhi.head", section, version));
        var final = await Api.Read<JsonElement>(await Api.Decide(await app.As("committee.deputy"), section, "approve", version, "同意上报。"));

        Assert.Equal("approved", final.GetProperty("status").GetString());
        var sheet = await Api.Read<JsonElement[]>(await (await app.As("auditor")).GetAsync($"/api/sections/{section}/signoffs"));
        Assert.Equal(["纪委组织部会签", "纪委组织部会签", "县委审核"], sheet.Select(s => s.GetProperty("stageName").GetString()));
        Assert.Equal(["jiwei", "zuzhi"], sheet.Take(2).Select(s => s.GetProperty("branch").GetString()));
    }

    [Fact]
    public async Task The_ideology_plan_needs_both_committee_members()
    {
        var (section, version) = await Submit("xuanchuan.author", "意识形态主动权");

        Assert.Equal("committee", await Approve("xuanchuan.head", section, version));
        Assert.Equal("committee", await Approve("committee.secretary", section, version));
        var final = await Api.Read<JsonElement>(await Api.Decide(await app.As("committee.deputy"), section, "approve", version, "同意。"));

        Assert.Equal(("committee", "approved"), (final.GetProperty("stage").GetString(), final.GetProperty("status").GetString()));
    }
}
