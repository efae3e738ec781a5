using System.Net;
using System.Text.Json;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using static Workflow.Tests.Integration.PageClient;

namespace Workflow.Tests.Integration;

/// <summary>
/// Someone who can write the database rewrites an approval, recomputes every later hash and the report's head:
/// the chain then checks out by itself, but not against the checkpoint signed outside the database.
/// </summary>
public sealed class AuditCheckpointTests
{
    [Fact]
    public async Task A_rewritten_and_rehashed_trail_is_caught_by_the_signed_checkpoint()
    {
        using var app = new WorkflowApp();
        var (report, section) = await ApprovedSection(app);
        await SignedUpToHead(app, report);

        RewriteLikeAnAttacker(app, report, section);

        var verdict = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.False(verdict.GetProperty("intact").GetBoolean());
        Assert.Equal("checkpoint-mismatch", verdict.GetProperty("firstBroken").GetProperty("code").GetString());
        Assert.Equal(Head(app, report), verdict.GetProperty("firstBroken").GetProperty("sequence").GetInt64());

        // The checkpointer does not sign the rewritten head over the old one.
        var checkpointer = app.Services.GetRequiredService<AuditCheckpointer>();
        Assert.Equal(0, await checkpointer.RunOnceAsync(TestContext.Current.CancellationToken));
    }

    [Fact]
    public async Task Cutting_the_last_entries_and_moving_the_head_back_is_caught_by_the_signed_checkpoint()
    {
        using var app = new WorkflowApp();
        var (report, _) = await ApprovedSection(app);
        await SignedUpToHead(app, report);
        var head = Head(app, report);

        app.WithDb(db =>
        {
            db.AuditEntries.Where(e => e.ReportId == report && e.Sequence == head).ExecuteDelete();
            var last = db.AuditEntries.AsNoTracking().Where(e => e.ReportId == report).OrderByDescending(e => e.Sequence).First();
            return db.Reports.Where(r => r.Id == report).ExecuteUpdate(r => r.SetProperty(x => x.AuditSequence, last.Sequence).SetProperty(x => x.AuditHead, last.Hash));
        });

        var verdict = await Api.Read<JsonElement>(await (await app.As("auditor")).GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.False(verdict.GetProperty("intact").GetBoolean());
        Assert.Equal("checkpoint-truncated", verdict.GetProperty("firstBroken").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_county_wide_chain_is_verified_and_checkpointed_like_a_report_chain()
    {
        using var app = new WorkflowApp();
        var browser = app.Browser();
        await SignIn(browser, "admin");
        await Post(browser, await Page(browser, "/admin/departments"), "/admin/departments?handler=create", new() { ["code"] = "tongzhan", ["name"] = "统战部" });
        await SignedUpToHead(app, Guid.Empty);

        var auditor = await app.As("auditor");
        var verdict = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{Guid.Empty}/audit/verify"));
        Assert.True(verdict.GetProperty("intact").GetBoolean());
        Assert.True(verdict.GetProperty("entries").GetInt32() >= 1);
        Assert.Equal(Head(app, Guid.Empty), verdict.GetProperty("checkpoint").GetProperty("sequence").GetInt64());

        var reader = app.Browser();
        await SignIn(reader, "auditor");
        Assert.Contains("审计链完整", await Page(reader, $"/audit?report={Guid.Empty}"), StringComparison.Ordinal);
        Assert.Contains("县级管理（账号、部门、流程）", await Page(reader, "/audit?chains=true"), StringComparison.Ordinal);

        app.WithDb(db => db.AuditEntries.Where(e => e.ReportId == Guid.Empty).ExecuteDelete());
        var wiped = await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{Guid.Empty}/audit/verify"));
        Assert.False(wiped.GetProperty("intact").GetBoolean());
        Assert.Equal("checkpoint-truncated", wiped.GetProperty("firstBroken").GetProperty("code").GetString());
        Assert.Contains("审计链被删截", await Page(reader, $"/audit?report={Guid.Empty}"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_sign_off_or_a_version_changed_outside_the_chain_is_named_by_verify()
    {
        using var app = new WorkflowApp();
        var (report, section) = await ApprovedSection(app);
        var auditor = await app.As("auditor");
        async Task<JsonElement> Verdict() => await Api.Read<JsonElement>(await auditor.GetAsync($"/api/reports/{report}/audit/verify"));
        Assert.True((await Verdict()).GetProperty("intact").GetBoolean());
        var approval = app.WithDb(db => db.AuditEntries.Single(e => e.SectionId == section && e.Action == "section.approve").Sequence);

        // The sheet's opinion, changed in the database alone.
        app.WithDb(db => db.SignOffs.Where(o => o.SectionId == section).ExecuteUpdate(o => o.SetProperty(x => x.Opinion, "不同意，此稿作废。")));
        var opinion = await Verdict();
        Assert.False(opinion.GetProperty("intact").GetBoolean());
        Assert.Equal("signoff-mismatch", opinion.GetProperty("firstBroken").GetProperty("code").GetString());
        Assert.Equal(approval, opinion.GetProperty("firstBroken").GetProperty("sequence").GetInt64());
        Assert.Contains("opinion", opinion.GetProperty("firstBroken").GetProperty("reason").GetString(), StringComparison.Ordinal);
        app.WithDb(db => db.SignOffs.Where(o => o.SectionId == section).ExecuteUpdate(o => o.SetProperty(x => x.Opinion, "同意。")));
        Assert.True((await Verdict()).GetProperty("intact").GetBoolean());

        // A version's text, first alone, then with its content hash recomputed.
        const string forged = "一是深入组织动员，发展党员1名。";
        app.WithDb(db => db.SectionVersions.Where(v => v.SectionId == section && v.Number == 2).ExecuteUpdate(v => v.SetProperty(x => x.Content, forged)));
        Assert.Equal("version-altered", (await Verdict()).GetProperty("firstBroken").GetProperty("code").GetString());
        app.WithDb(db => db.SectionVersions.Where(v => v.SectionId == section && v.Number == 2).ExecuteUpdate(v => v.SetProperty(x => x.Hash, Activities.Documents.ContentHash.Of(forged))));
        Assert.Equal("version-mismatch", (await Verdict()).GetProperty("firstBroken").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_sign_off_sheet_quotes_its_trail_entry_and_the_checkpoint_fingerprint()
    {
        using var app = new WorkflowApp();
        var (report, section) = await ApprovedSection(app);
        await SignedUpToHead(app, report);
        var signed = app.Services.GetRequiredService<AuditCheckpoints>().Latest()[report];

        var reader = app.Browser();
        await SignIn(reader, "auditor");
        var sheet = await Page(reader, $"/sections/{section}/signoff");

        Assert.Contains($"审计链第 {Head(app, report)} 条", sheet, StringComparison.Ordinal);
        Assert.Contains(signed.Mac[..16], sheet, StringComparison.Ordinal);
    }

    [Fact]
    public async Task The_word_export_carries_its_trail_entry_and_the_checkpoint_fingerprint_in_its_properties()
    {
        using var app = new WorkflowApp();
        var (report, _) = await ApprovedSection(app);
        await SignedUpToHead(app, report);
        var signed = app.Services.GetRequiredService<AuditCheckpoints>().Latest()[report];

        var bytes = await (await app.As("auditor")).GetByteArrayAsync($"/api/reports/{report}/export?format=docx");
        using var document = DocumentFormat.OpenXml.Packaging.WordprocessingDocument.Open(new MemoryStream(bytes), false);

        Assert.Equal($"审计链第 {Head(app, report)} 条；库外签名检查点止于第 {signed.Sequence} 条，指纹 {signed.Mac[..16]}", document.PackageProperties.Description);
    }

    internal static async Task<(Guid Report, Guid Section)> ApprovedSection(WorkflowApp app)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "签名检查点");
        var section = await Api.AddSection(admin, report);
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), section, "一是深入组织动员，发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", version, "同意。"), HttpStatusCode.OK);
        return (report, section);
    }

    private static long Head(WorkflowApp app, Guid chain) =>
        app.WithDb(db => db.AuditEntries.Where(e => e.ReportId == chain).Max(e => e.Sequence));

    /// <summary>Waits (bounded) until the checkpoint log vouches for the chain's current head; the commit wakes the checkpointer.</summary>
    private static async Task SignedUpToHead(WorkflowApp app, Guid chain)
    {
        var checkpoints = app.Services.GetRequiredService<AuditCheckpoints>();
        var head = Head(app, chain);
        await Poll.Until(() => checkpoints.Latest().GetValueOrDefault(chain)?.Sequence == head, TimeSpan.FromSeconds(30), $"no checkpoint for entry {head} of chain {chain}");
    }

    /// <summary>What someone with write access to the database file can do: change rows, then recompute every hash after them and the head.</summary>
    internal static void RewriteLikeAnAttacker(WorkflowApp app, Guid report, Guid section) => app.WithDb(db =>
    {
        db.SignOffs.Where(o => o.SectionId == section).ExecuteUpdate(o => o.SetProperty(x => x.Opinion, "不同意，此稿作废。"));
        db.SectionVersions.Where(v => v.SectionId == section && v.Number == 2).ExecuteUpdate(v => v.SetProperty(x => x.Content, "一是深入组织动员，发展党员1名。"));
        var entries = db.AuditEntries.Where(e => e.ReportId == report).OrderBy(e => e.Sequence).ToList();
        var previous = AuditTrail.Genesis;
        foreach (var e in entries)
        {
            e.Data = e.Data.Replace("同意。", "不同意，此稿作废。", StringComparison.Ordinal);
            e.PreviousHash = previous;
            e.Hash = AuditTrail.ComputeHash(e);
            previous = e.Hash;
        }

        var row = db.Reports.Single(r => r.Id == report);
        row.AuditHead = previous;
        return db.SaveChanges();
    });
}
