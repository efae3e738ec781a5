using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using static Workflow.Tests.Integration.PageClient;

namespace Workflow.Tests.Integration;

/// <summary>A sign-off keeps the signer's name and department as they were when they signed; renames show on later decisions only.</summary>
public sealed class SignerAsOnTheDayTests
{
    [Fact]
    public async Task Renaming_a_signer_and_their_department_leaves_past_sheets_as_they_were()
    {
        // Its own host: the renames would otherwise reach the other tests' sheets.
        using var app = new WorkflowApp();
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "签批人更名");
        var before = await Api.AddSection(admin, report, "更名之前");
        var after = await Api.AddSection(admin, report, "更名之后");
        var author = await app.As("zuzhi.author");
        var head = await app.As("zuzhi.head");
        var first = await Api.EditAndSubmit(author, before, "一是深入组织动员，发展党员12名。");
        await Api.Expect(await Api.Decide(head, before, "approve", first, "同意。"), System.Net.HttpStatusCode.OK);

        // The clerk renames the department in the admin pages; the head's title changes in the directory.
        var browser = app.Browser();
        await SignIn(browser, "admin");
        var zuzhi = app.WithDb(db => db.Departments.Single(d => d.Code == "zuzhi").Id);
        await Post(browser, await Page(browser, "/admin/departments"), "/admin/departments?handler=rename", new() { ["id"] = zuzhi.ToString(), ["name"] = "县委组织部（新）" });
        app.WithDb(db => db.Users.Where(u => u.UserName == "zuzhi.head").ExecuteUpdate(u => u.SetProperty(x => x.DisplayName, "组织部新任部长")));

        var second = await Api.EditAndSubmit(author, after, "二是压实主体责任。全县新建党支部12个。");
        await Api.Expect(await Api.Decide(head, after, "approve", second, "同意。"), System.Net.HttpStatusCode.OK);

        var auditor = await app.As("auditor");
        var old = (await Api.Read<JsonElement>(await auditor.GetAsync($"/api/sections/{before}/signoffs"))).EnumerateArray().Single();
        Assert.Equal("组织部部长", old.GetProperty("actor").GetProperty("displayName").GetString());
        Assert.Equal("组织部", old.GetProperty("actorDepartment").GetString());
        Assert.Equal("department-head", old.GetProperty("actorRoles").GetString());
        var newer = (await Api.Read<JsonElement>(await auditor.GetAsync($"/api/sections/{after}/signoffs"))).EnumerateArray().Single();
        Assert.Equal("组织部新任部长", newer.GetProperty("actor").GetProperty("displayName").GetString());
        Assert.Equal("县委组织部（新）", newer.GetProperty("actorDepartment").GetString());

        var reader = app.Browser();
        await SignIn(reader, "auditor");
        var oldSheet = await Page(reader, $"/sections/{before}/signoff");
        Assert.Contains("组织部部长", oldSheet);
        Assert.DoesNotContain("组织部新任部长", oldSheet);
        var newSheet = await Page(reader, $"/sections/{after}/signoff");
        Assert.Contains("组织部新任部长", newSheet);

        // The decision's audit entry says the same as the sheet.
        var entry = app.WithDb(db => db.AuditEntries.AsNoTracking().Single(e => e.SectionId == before && e.Action == "section.approve"));
        using var data = JsonDocument.Parse(entry.Data);
        Assert.Equal("组织部部长", data.RootElement.GetProperty("signer").GetProperty("name").GetString());
        Assert.Equal("组织部", data.RootElement.GetProperty("signer").GetProperty("department").GetString());
    }

    [Fact]
    public async Task The_audit_entry_of_a_new_section_names_its_author_and_department()
    {
        using var app = new WorkflowApp();
        var admin = await app.As("admin");
        var section = await Api.AddSection(admin, await Api.CreateReport(admin, "新节留痕"));

        var entry = app.WithDb(db => db.AuditEntries.AsNoTracking().Single(e => e.SectionId == section && e.Action == "section.create"));
        using var data = JsonDocument.Parse(entry.Data);

        Assert.Equal("组织部起草人", data.RootElement.GetProperty("authorName").GetString());
        Assert.Equal("组织部", data.RootElement.GetProperty("departmentName").GetString());
    }
}
