using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using Microsoft.Extensions.DependencyInjection;

namespace Workflow.Tests.Integration;

public sealed class ImportExportTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private static readonly string Sample = File.ReadAllText(Fixture.SamplePath);

    [Fact]
    public async Task The_preview_shows_the_outline_a_reader_sees_and_loses_no_text()
    {
        var (admin, report) = await NewReport("预览");

        var preview = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", Text(Sample)));

        Assert.Equal("县上半年关于加强党的建设工作情况报告", preview.GetProperty("title").GetString());
        Assert.Equal(2, preview.GetProperty("level").GetInt32());
        var units = preview.GetProperty("units").EnumerateArray().ToList();
        Assert.Equal(["一、", "二、", "三、"], units.Where(u => u.GetProperty("isGroup").GetBoolean()).Select(u => u.GetProperty("number").GetString()));
        Assert.Equal(9, units.Count(u => !u.GetProperty("isGroup").GetBoolean()));
        Assert.Equal("全面提升组织力，推进党的高质量建设", units.Single(u => u.GetProperty("id").GetString() == "3.1").GetProperty("title").GetString());
        Assert.Equal(5, units.Single(u => u.GetProperty("id").GetString() == "1.1").GetProperty("items").GetArrayLength());
        Assert.Equal(96, preview.GetProperty("missingFigures").GetInt32());
        // （三） of 二、 goes on to the causes of all of 二、's problems with a second 一是 series: said, not cut.
        var warning = Assert.Single(preview.GetProperty("warnings").EnumerateArray());
        Assert.Equal((33, "items-restart"), (warning.GetProperty("line").GetInt32(), warning.GetProperty("code").GetString()));
        Assert.Equal("", preview.GetProperty("closing").GetString());
        var rebuilt = preview.GetProperty("title").GetString() + preview.GetProperty("lead").GetString()
            + string.Concat(units.Select(u => u.GetProperty("headingText").GetString() + u.GetProperty("content").GetString())) + preview.GetProperty("closing").GetString();
        Assert.Equal(Squeeze(Sample), Squeeze(rebuilt));
        Assert.Equal(0, app.Count("Sections", $"\"ReportId\" = '{report.ToString().ToUpperInvariant()}' AND \"Kind\" = 'Body'"));
    }

    [Fact]
    public async Task A_real_import_creates_the_section_tree_with_version_1_tasks_and_audit()
    {
        var (admin, report) = await NewReport("导入");

        var result = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import", Text(Sample)), HttpStatusCode.Created);

        Assert.Equal(12, result.GetProperty("sections").EnumerateObject().Count());
        var detail = await Api.Read<JsonElement>(await admin.GetAsync($"/api/reports/{report}"));
        var all = detail.GetProperty("sections").EnumerateArray().Where(s => !s.GetProperty("isGroup").GetBoolean()).ToList();
        Assert.Equal(["title", "lead"], all.Select(s => s.GetProperty("kind").GetString()).Where(k => k != "body"));
        var units = all.Where(s => s.GetProperty("kind").GetString() == "body").ToList();
        Assert.Equal(9, units.Count);
        Assert.All(units, u => Assert.Equal(1, u.GetProperty("version").GetInt32()));
        Assert.All(units, u => Assert.Equal("admin", u.GetProperty("pendingWith")[0].GetProperty("userName").GetString()));
        Assert.Equal(96, detail.GetProperty("missingFigures").GetInt32());
        Assert.StartsWith("2020年上半年", detail.GetProperty("lead").GetString());
        var audit = await Api.Read<JsonElement>(await admin.GetAsync($"/api/audit?reportId={report}&take=500"));
        var actions = audit.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("action").GetString()).ToList();
        // The report was created with its title and lead parts; the import adds the nine sections and gives the title
        // and lead parts the document's text as their next versions.
        Assert.Equal(11, actions.Count(a => a == "section.create"));
        Assert.Equal(2, actions.Count(a => a == "section.edit"));
        Assert.Contains("report.import", actions);

        var again = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", Text(Sample)), HttpStatusCode.Conflict);
        Assert.Equal("already-imported", again.Code);
    }

    [Fact]
    public async Task A_gb18030_file_uploaded_as_a_form_imports_like_utf8()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        var (admin, report) = await NewReport("国标编码");
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(Encoding.GetEncoding("GB18030").GetBytes(Sample)), "file", "报告.txt");

        var preview = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", form));

        Assert.Equal("gb18030", preview.GetProperty("encoding").GetString());
        Assert.Equal(12, preview.GetProperty("units").GetArrayLength());
        Assert.Equal(96, preview.GetProperty("missingFigures").GetInt32());
    }

    [Fact]
    public async Task An_exported_docx_imports_back_into_the_same_outline_and_text()
    {
        var (admin, report) = await NewReport("往返");
        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/import", Text(Sample)), HttpStatusCode.Created);
        var docx = await (await admin.GetAsync($"/api/reports/{report}/export?format=docx")).Content.ReadAsByteArrayAsync();
        var (_, second) = await NewReport("往返二");
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(docx), "file", "往返.docx");

        var first = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", Text(Sample)));
        var back = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{second}/import?dryRun=true", form));

        Assert.Equal("docx", back.GetProperty("encoding").GetString());
        Assert.Equal(Outline(first), Outline(back));
        Assert.Equal(
            first.GetProperty("units").EnumerateArray().Select(u => Squeeze(u.GetProperty("content").GetString()!)),
            back.GetProperty("units").EnumerateArray().Select(u => Squeeze(u.GetProperty("content").GetString()!)));
    }

    [Fact]
    public async Task Markdown_and_text_exports_import_back_into_the_same_outline()
    {
        var (admin, report) = await NewReport("文本往返");
        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/import", Text(Sample)), HttpStatusCode.Created);
        var first = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", Text(Sample)));

        foreach (var (format, type) in new[] { ("md", "text/markdown"), ("txt", "text/plain") })
        {
            var exported = await admin.GetStringAsync($"/api/reports/{report}/export?format={format}");
            var back = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", new StringContent(exported, Encoding.UTF8, type)));

            Assert.Equal("县上半年关于加强党的建设工作情况报告", back.GetProperty("title").GetString());
            Assert.Equal(Outline(first), Outline(back));
        }
    }

    [Fact]
    public async Task The_clerk_can_move_a_paragraph_in_the_preview_but_not_lose_text()
    {
        var (admin, report) = await NewReport("调整");
        var preview = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", Text(Sample)));
        var units = JsonSerializer.Deserialize<List<Dictionary<string, JsonElement>>>(preview.GetProperty("units").GetRawText())!;
        var from = units.Single(u => u["id"].GetString() == "2.3");
        const string Causes = "产生以上问题的原因主要有以下几个方面：";
        var text = from["content"].GetString()!;
        var cut = text.IndexOf(Causes, StringComparison.Ordinal);
        from["content"] = JsonSerializer.SerializeToElement(text[..cut]);
        var overview = new Dictionary<string, JsonElement>(from)
        {
            ["id"] = JsonSerializer.SerializeToElement("2.4"),
            ["number"] = JsonSerializer.SerializeToElement(""),
            ["title"] = JsonSerializer.SerializeToElement("问题原因"),
            ["headingText"] = JsonSerializer.SerializeToElement(""),
            ["content"] = JsonSerializer.SerializeToElement(text[cut..]),
        };
        units.Insert(units.IndexOf(from) + 1, overview);
        object Edited(IEnumerable<Dictionary<string, JsonElement>> u) => new
        {
            title = preview.GetProperty("title").GetString(),
            lead = preview.GetProperty("lead").GetString(),
            closing = preview.GetProperty("closing").GetString(),
            source = preview.GetProperty("source").GetString(),
            level = 2,
            units = u,
        };

        var lossy = units.Select(u => u["id"].GetString() == "2.4" ? new Dictionary<string, JsonElement>(u) { ["content"] = JsonSerializer.SerializeToElement("只剩一句。") } : u);
        var refused = await Api.ReadProblem(await admin.PostAsJsonAsync($"/api/reports/{report}/import", Edited(lossy)), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("does-not-add-up", refused.Code);

        var created = await Api.Read<JsonElement>(await admin.PostAsJsonAsync($"/api/reports/{report}/import", Edited(units)), HttpStatusCode.Created);
        Assert.Equal(13, created.GetProperty("sections").EnumerateObject().Count());
    }

    [Theory]
    [InlineData("\uFFFE", "U+FFFE")]
    [InlineData("\uFFFF", "U+FFFF")]
    public async Task A_document_with_a_character_that_cannot_be_stored_is_refused_naming_it(string character, string name)
    {
        var (admin, report) = await NewReport("坏字符导入");
        var text = "报告\n一、总体情况\n一是深入" + character + "组织动员。";

        var preview = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", Text(text)), HttpStatusCode.BadRequest);

        Assert.Equal("invalid-character", preview.Code);
        Assert.Contains(name, preview.Detail);
        Assert.Contains("line 3, column 5", preview.Detail);
        Assert.Equal("invalid-character", (await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", Text(text)), HttpStatusCode.BadRequest)).Code);
        Assert.Equal(0, app.Count("Sections", $"\"ReportId\" = '{report.ToString().ToUpperInvariant()}' AND \"Kind\" = 'Body'"));
    }

    [Fact]
    public async Task A_large_docx_is_refused_once_its_text_passes_the_limit()
    {
        var (admin, report) = await NewReport("大文档");

        var refused = await Upload(admin, report, Unit.DocxReaderTests.LargeDocx(19 * 1024 * 1024), "大文档.docx", HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("too-large", refused.Code);
        Assert.Contains("1,000,000", refused.Detail);
    }

    [Fact]
    public async Task When_every_import_slot_is_taken_an_import_is_told_to_retry_later_and_nothing_is_written()
    {
        var (admin, report) = await NewReport("排队");
        var gate = app.Services.GetRequiredService<Workflow.Host.Features.Import.ImportGate>();
        var wait = gate.MaxWait;
        gate.MaxWait = TimeSpan.FromMilliseconds(200);
        var held = new List<IDisposable>();
        try
        {
            for (var i = 0; i < Workflow.Host.Features.Import.ImportGate.MaxConcurrent; i++)
            {
                held.Add((await gate.EnterAsync(CancellationToken.None))!);
            }

            var r = await admin.PostAsync($"/api/reports/{report}/import", Text(Sample));

            var problem = await Api.ReadProblem(r, HttpStatusCode.ServiceUnavailable);
            Assert.Equal("import-busy", problem.Code);
            Assert.Equal(TimeSpan.FromSeconds(5), r.Headers.RetryAfter?.Delta);
            Assert.Equal(0, app.Count("Sections", $"\"ReportId\" = '{report.ToString().ToUpperInvariant()}' AND \"Kind\" = 'Body'"));
        }
        finally
        {
            held.ForEach(h => h.Dispose());
            gate.MaxWait = wait;
        }

        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/import", Text(Sample)), HttpStatusCode.Created);
    }

    [Fact]
    public async Task Unusable_uploads_are_refused_with_a_reason()
    {
        var (admin, report) = await NewReport("拒绝");

        Assert.Equal("not-docx", (await Upload(admin, report, [1, 2, 3, 4, 5], "坏文件.docx", HttpStatusCode.UnsupportedMediaType)).Code);
        Assert.Equal("zip-bomb", (await Upload(admin, report, ZipBomb(), "炸弹.docx", HttpStatusCode.RequestEntityTooLarge)).Code);
        Assert.Equal("too-large", (await Upload(admin, report, new byte[11 * 1024 * 1024], "大文件.txt", HttpStatusCode.RequestEntityTooLarge)).Code);
        Assert.Equal("empty", (await Upload(admin, report, [], "空.txt", HttpStatusCode.BadRequest)).Code);
        Assert.Equal("empty", (await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", Text("  \n \n")), HttpStatusCode.BadRequest)).Code);
        var noOutline = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", Text("通知\n各单位：请于本周五前报送材料。")), HttpStatusCode.UnprocessableEntity);
        Assert.Equal("no-outline", noOutline.Code);
        Assert.Contains("asOneSection=true", noOutline.Detail);
        Assert.Equal(0, app.Count("Sections", $"\"ReportId\" = '{report.ToString().ToUpperInvariant()}' AND \"Kind\" = 'Body'"));

        var one = await Api.Read<JsonElement>(await admin.PostAsync($"/api/reports/{report}/import?asOneSection=true", Text("通知\n各单位：请于本周五前报送材料。")), HttpStatusCode.Created);
        Assert.Single(one.GetProperty("sections").EnumerateObject());
    }

    [Fact]
    public async Task The_export_is_an_official_layout_docx_marked_as_a_draft_until_approved()
    {
        var (admin, report) = await NewReport("导出");
        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/import", Text(Sample)), HttpStatusCode.Created);

        var response = await admin.GetAsync($"/api/reports/{report}/export?format=docx");

        Assert.Equal("application/vnd.openxmlformats-officedocument.wordprocessingml.document", response.Content.Headers.ContentType?.MediaType);
        Assert.EndsWith(".docx", response.Content.Headers.ContentDisposition?.FileNameStar);
        using var doc = WordprocessingDocument.Open(new MemoryStream(await response.Content.ReadAsByteArrayAsync()), false);
        var body = doc.MainDocumentPart!.Document.Body!;
        var page = body.Descendants<PageSize>().First();
        Assert.Equal((11906u, 16838u), (page.Width!.Value, page.Height!.Value));
        var texts = body.Descendants<Paragraph>().Select(p => p.InnerText).ToList();
        Assert.Contains("征求意见稿", texts);
        Assert.Contains("一、上半年主要工作", texts);
        Assert.Contains(texts, t => t.StartsWith("（一）全面提升组织力，推进党的高质量建设。突出责任抓党建", StringComparison.Ordinal));

        var md = await admin.GetStringAsync($"/api/reports/{report}/export?format=md");
        Assert.Contains("## 一、上半年主要工作", md);
        var txt = await admin.GetStringAsync($"/api/reports/{report}/export?format=txt");
        Assert.Contains("（一）党的高质量建设效果凸显", txt);
        await Api.ReadProblem(await admin.GetAsync($"/api/reports/{report}/export?format=pdf"), HttpStatusCode.BadRequest);
        await Api.ReadProblem(await (await app.As("zuzhi.author")).GetAsync($"/api/reports/{report}/export"), HttpStatusCode.Forbidden);
    }

    [Fact]
    public async Task The_committee_cannot_approve_text_that_still_misses_figures()
    {
        var admin = await app.As("admin");
        var report = await Api.CreateReport(admin, "缺数");
        var section = await Api.AddSection(admin, report, content: "发展党员X名，捐款率达X%。");
        var author = await app.As("zuzhi.author");
        await Api.Expect(await Api.Decide(author, section, "submit", 1), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), section, "approve", 1, "同意"), HttpStatusCode.OK);

        var problem = await Api.ReadProblem(await Api.Decide(await app.As("committee.secretary"), section, "approve", 1, "同意"), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("missing-figures", problem.Code);
        Assert.Contains("发展党员X名", problem.Detail);
        var detail = await Api.Read<JsonElement>(await author.GetAsync($"/api/sections/{section}"));
        Assert.Equal(2, detail.GetProperty("missingFigures").GetArrayLength());
    }

    [Fact]
    public async Task Headings_export_as_written_and_a_part_with_its_own_text_gets_no_invented_heading()
    {
        var (admin, report) = await NewReport("含引言的部分");
        const string Doc = "标题\n一、总体情况：\n今年以来，县委坚持党建引领。\n（一）组织建设\n发展党员12名。\n（二）廉政建设：查处案件3件。\u001A";
        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/import", Text(Doc)), HttpStatusCode.Created);

        var txt = await admin.GetStringAsync($"/api/reports/{report}/export?format=txt");
        var docx = await admin.GetAsync($"/api/reports/{report}/export?format=docx");

        Assert.Contains("今年以来，县委坚持党建引领。", txt);
        Assert.DoesNotContain("概述", txt);
        Assert.Contains("一、总体情况：\n", txt);
        Assert.Contains("（二）廉政建设：查处案件3件。", txt);
        Assert.Equal(HttpStatusCode.OK, docx.StatusCode);
    }

    [Theory]
    [InlineData("""{"source":"一、甲\n正文","units":[null]}""")]
    [InlineData("""{"source":"一、甲\n正文","units":[{"id":"1.1","parentId":"1","isGroup":false,"level":2,"number":"","title":"乙","content":"正文"},{"id":"1","isGroup":true,"level":1,"number":"一、","title":"甲","content":""}]}""")]
    [InlineData("""{"source":"一、甲\n正文","units":[{"isGroup":false,"level":1,"number":"一、","title":"甲","content":"正文"}]}""")]
    public async Task A_malformed_edited_outline_is_a_422_not_a_crash(string body)
    {
        var (admin, report) = await NewReport("坏大纲");

        var problem = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", new StringContent(body, Encoding.UTF8, "application/json")), HttpStatusCode.UnprocessableEntity);

        Assert.Equal("incomplete-outline", problem.Code);
    }

    [Fact]
    public async Task A_broken_form_upload_is_a_400()
    {
        var (admin, report) = await NewReport("坏表单");
        var content = new StringContent("--xyz\r\nContent-Disposition: form-data; name=\"file\"; filename=\"a.txt\"\r\n\r\n一、甲", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("multipart/form-data; boundary=xyz");

        var problem = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", content), HttpStatusCode.BadRequest);

        Assert.Equal("unreadable-upload", problem.Code);
    }

    private async Task<(HttpClient Admin, Guid Report)> NewReport(string title)
    {
        var admin = await app.As("admin");
        return (admin, await Api.CreateReport(admin, title));
    }

    private static async Task<Problem> Upload(HttpClient admin, Guid report, byte[] bytes, string fileName, HttpStatusCode expected)
    {
        using var form = new MultipartFormDataContent();
        form.Add(new ByteArrayContent(bytes), "file", fileName);
        return await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", form), expected);
    }

    private static StringContent Text(string text) => new(text, Encoding.UTF8, "text/plain");

    private static string Squeeze(string text) => string.Concat(text.Where(c => !char.IsWhiteSpace(c)));

    private static List<string> Outline(JsonElement preview) =>
        [.. preview.GetProperty("units").EnumerateArray().Select(u => $"{u.GetProperty("level").GetInt32()} {u.GetProperty("number").GetString()}{u.GetProperty("title").GetString()} {u.GetProperty("isGroup").GetBoolean()}")];

    /// <summary>A .docx-looking zip whose one entry inflates from a few kilobytes to 30 MB.</summary>
    private static byte[] ZipBomb()
    {
        using var memory = new MemoryStream();
        using (var zip = new ZipArchive(memory, ZipArchiveMode.Create, leaveOpen: true))
        {
            using var entry = zip.CreateEntry("word/document.xml", CompressionLevel.SmallestSize).Open();
            var zeros = new byte[1024 * 1024];
            for (var i = 0; i < 30; i++)
            {
                entry.Write(zeros);
            }
        }

        return memory.ToArray();
    }
}

/// <summary>The sample report, as committed beside the demo seed.</summary>
internal static class Fixture
{
    public static string SamplePath
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "Workflow.Host", "Demo", "party-building-report-2020h1.txt")))
            {
                dir = dir.Parent;
            }

            return Path.Combine(dir!.FullName, "Workflow.Host", "Demo", "party-building-report-2020h1.txt");
        }
    }
}
