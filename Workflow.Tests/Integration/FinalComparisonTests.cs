using System.Net;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Workflow.Activities.Documents;
using Workflow.Persistence.Entities;

namespace Workflow.Tests.Integration;

/// <summary>
/// GET /api/reports/{id}/finals/compare: JSON runs by default, a Word document with revisions for format=docx. The two
/// finals are written straight into the database (taking a report through two 签发 over HTTP is covered elsewhere);
/// what is checked here is the endpoint: who gets what, the file and its revisions.
/// </summary>
public sealed class FinalComparisonTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static readonly DateTimeOffset FirstSigned = new(2026, 11, 20, 2, 5, 0, TimeSpan.Zero);
    private static readonly DateTimeOffset SecondSigned = new(2026, 12, 1, 1, 30, 15, TimeSpan.Zero);

    [Fact]
    public async Task The_two_finals_come_as_a_word_document_whose_differences_are_revisions()
    {
        var (report, title) = await ReportWithTwoFinals("两稿对照", "全年积极发展党员X名。", "全年扎实发展党员12名。");
        var admin = await app.As("admin");

        var response = await admin.GetAsync($"/api/reports/{report}/finals/compare?from=1&to=2&format=docx");

        await Api.Expect(response, HttpStatusCode.OK);
        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal($"{title}（定稿1-定稿2对照）.docx", response.Content.Headers.ContentDisposition?.FileNameStar);
        using var doc = WordprocessingDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var body = doc.MainDocumentPart!.Document.Body!;
        Assert.Equal("定稿 1 → 定稿 2 对照（修订）", body.Elements<Paragraph>().First().InnerText);
        Assert.Equal(["扎实", "12"], body.Descendants<InsertedRun>().Select(i => i.InnerText));
        Assert.Equal(["积极", "X"], body.Descendants<DeletedRun>().Select(d => string.Concat(d.Descendants<DeletedText>().Select(t => t.Text))));
        // Credited to the later final's signer, at its signing time in Beijing.
        Assert.All(body.Descendants<InsertedRun>(), i => Assert.Equal(("李书记", new DateTime(2026, 12, 1, 9, 30, 15)), (i.Author?.Value, i.Date?.Value)));
    }

    [Fact]
    public async Task Json_stays_the_default_and_the_document_is_for_county_wide_readers_only()
    {
        var (report, _) = await ReportWithTwoFinals("对照权限", "甲。", "乙。");
        var author = await app.As("zuzhi.author");

        var json = await Api.Read<JsonElement>(await author.GetAsync($"/api/reports/{report}/finals/compare?from=1&to=2"));
        var denied = await Api.ReadProblem(await author.GetAsync($"/api/reports/{report}/finals/compare?from=1&to=2&format=docx"), HttpStatusCode.Forbidden);
        var auditor = await (await app.As("auditor")).GetAsync($"/api/reports/{report}/finals/compare?from=1&to=2&format=docx");

        Assert.Equal(2, json.GetProperty("to").GetInt32());
        Assert.Contains(json.GetProperty("runs").EnumerateArray(), r => r.GetProperty("op").GetString() == "insert" && r.GetProperty("text").GetString() == "乙");
        Assert.Equal("forbidden", denied.Code);
        await Api.Expect(auditor, HttpStatusCode.OK);
        var admin = await app.As("admin");
        await Api.ReadProblem(await admin.GetAsync($"/api/reports/{report}/finals/compare?from=1&to=2&format=pdf"), HttpStatusCode.BadRequest);
        await Api.ReadProblem(await admin.GetAsync($"/api/reports/{report}/finals/compare?from=1&to=3&format=docx"), HttpStatusCode.NotFound);
    }

    /// <summary>A report created through the API (with a 组织部 part, so its author reads it) and two finals of it: 定稿 1, reopened, and 定稿 2.</summary>
    private async Task<(Guid Report, string Title)> ReportWithTwoFinals(string title, string before, string after)
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, title);
        await Api.AddSection(admin, report);
        var signer = app.WithDb(db => db.Users.Single(u => u.UserName == "committee.secretary").Id);
        ReportFinal Final(int number, string body, DateTimeOffset at, string name)
        {
            var text = $"{title}\n导语。\n（一）党的高质量建设效果凸显\n{body}\n";
            return new ReportFinal
            {
                Id = Guid.NewGuid(),
                ReportId = report,
                Number = number,
                SignerId = signer,
                SignerName = name,
                Opinion = "同意。",
                SignedAt = at,
                Hash = ContentHash.Of(text),
                Text = text,
                Parts = "[]",
                ReopenedAt = number == 1 ? SecondSigned.AddDays(-1) : null,
            };
        }

        app.WithDb(db =>
        {
            db.Finals.AddRange(Final(1, before, FirstSigned, "王书记"), Final(2, after, SecondSigned, "李书记"));
            return db.SaveChanges();
        });
        return (report, title);
    }
}
