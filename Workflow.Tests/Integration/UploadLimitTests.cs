using System.IO.Compression;
using System.Net;
using System.Net.Http.Headers;
using System.Text.RegularExpressions;
using Workflow.Activities.Documents;

namespace Workflow.Tests.Integration;

/// <summary>
/// An import over 10 MB sent to the host served by Kestrel, as in production: the test server does not enforce
/// body limits, so only a real listening host shows what an oversized upload gets. The clerk is told the file is
/// over 10 MB (413, code too-large), in the API and in the import page, and nothing is written.
/// </summary>
public sealed partial class UploadLimitTests(UploadLimitTests.Host host) : IClassFixture<UploadLimitTests.Host>
{
    private const string DocxType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    private static readonly byte[] SmallDocx = DocxExporter.Export(Unit.DocxSampleReport.Build());

    /// <summary>A real .docx of 11 MB: a short report and a large photo in it (stored, so it does not shrink).</summary>
    private static readonly Lazy<byte[]> ElevenMegabytes = new(() =>
    {
        using var ms = new MemoryStream();
        ms.Write(SmallDocx);
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Update, leaveOpen: true))
        {
            var photo = new byte[11 * 1024 * 1024];
            new Random(11).NextBytes(photo);
            using var w = zip.CreateEntry("word/media/image1.jpeg", CompressionLevel.NoCompression).Open();
            w.Write(photo);
        }

        return ms.ToArray();
    });

    [Fact]
    public async Task The_api_refuses_an_11_mb_docx_with_413_too_large_naming_the_10_mb_limit()
    {
        var admin = await host.Process.As("admin");
        var report = await Api.CreateReport(admin, "超大文件接口");
        Assert.True(ElevenMegabytes.Value.Length > 11 * 1024 * 1024);

        using var form = new MultipartFormDataContent();
        var file = new ByteArrayContent(ElevenMegabytes.Value);
        file.Headers.ContentType = new MediaTypeHeaderValue(DocxType);
        form.Add(file, "file", "大文件.docx");
        var multipart = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import", form, Ct), HttpStatusCode.RequestEntityTooLarge);

        Assert.Equal("too-large", multipart.Code);
        Assert.Contains("10 MB", multipart.Detail);

        // The file as the whole body, the API's other way to upload.
        var body = new ByteArrayContent(ElevenMegabytes.Value);
        body.Headers.ContentType = new MediaTypeHeaderValue(DocxType);
        var raw = await Api.ReadProblem(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", body, Ct), HttpStatusCode.RequestEntityTooLarge);
        Assert.Equal("too-large", raw.Code);
        Assert.Contains("10 MB", raw.Detail);

        Assert.Equal(0, HostProcess.Scalar(host.Folder, $"SELECT COUNT(*) FROM Sections WHERE ReportId = '{report.ToString().ToUpperInvariant()}' AND Kind = 'Body'"));
        // A file within the limit is read as before.
        using var small = new MultipartFormDataContent();
        var smallFile = new ByteArrayContent(SmallDocx);
        smallFile.Headers.ContentType = new MediaTypeHeaderValue(DocxType);
        small.Add(smallFile, "file", "报告.docx");
        await Api.Expect(await admin.PostAsync($"/api/reports/{report}/import?dryRun=true", small, Ct), HttpStatusCode.OK);
    }

    [Fact]
    public async Task The_import_page_shows_an_11_mb_docx_refused_in_chinese_naming_the_10_mb_limit()
    {
        using var browser = await host.Browser("admin");
        var page = await (await browser.GetAsync("/admin/import", Ct)).Content.ReadAsStringAsync(Ct);

        var response = await browser.PostAsync("/admin/import?handler=preview", UploadForm(page, "超大文件页面", ElevenMegabytes.Value), Ct);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"{(int)response.StatusCode}\n{html}");
        // The import page again, with the reason in Chinese and the upload form to choose a smaller file (title kept).
        var error = WebUtility.HtmlDecode(Regex.Match(html, "data-testid=\"admin-error\">\\s*<p>(.*?)</p>", RegexOptions.Singleline).Groups[1].Value);
        Assert.StartsWith("文件超过 10 MB，无法导入。", error);
        Assert.Contains("data-testid=\"import-upload\"", html);
        Assert.Contains("value=\"超大文件页面\"", html);
        Assert.Equal(0, HostProcess.Scalar(host.Folder, "SELECT COUNT(*) FROM Reports WHERE Title = '超大文件页面'"));

        // A file within the limit, sent from that page, is read and previewed.
        var smaller = await browser.PostAsync("/admin/import?handler=preview", UploadForm(html, "超大文件页面", SmallDocx), Ct);
        html = await smaller.Content.ReadAsStringAsync(Ct);
        Assert.True(smaller.StatusCode == HttpStatusCode.OK, $"{(int)smaller.StatusCode}\n{html}");
        Assert.Contains("data-testid=\"import-preview\"", html);
    }

    /// <summary>The upload form as a browser sends it: its fields in page order, so the anti-forgery token after the file.</summary>
    private static MultipartFormDataContent UploadForm(string page, string title, byte[] docx)
    {
        var file = new ByteArrayContent(docx);
        file.Headers.ContentType = new MediaTypeHeaderValue(DocxType);
        return new MultipartFormDataContent
        {
            { new StringContent("new"), "target" },
            { new StringContent(title), "title" },
            { file, "file", "报告.docx" },
            { new StringContent(PageClient.AntiforgeryToken(page)), "__RequestVerificationToken" },
        };
    }


    /// <summary>One host process (Kestrel on a loopback port) for the class, on a fresh demo county.</summary>
    public sealed class Host : IAsyncLifetime
    {
        public string Folder { get; } = WorkflowApp.NewFolder();

        public HostProcess Process { get; private set; } = null!;

        public async ValueTask InitializeAsync() => Process = await HostProcess.StartAsync(Folder, [], "upload-limit");

        /// <summary>A client that keeps cookies and asks for HTML, as a browser does, signed in on /login.</summary>
        public async Task<HttpClient> Browser(string userName)
        {
            var client = new HttpClient(new HttpClientHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = true }) { BaseAddress = Process.Address };
            client.DefaultRequestHeaders.Accept.ParseAdd("text/html,application/xhtml+xml");
            var login = await (await client.GetAsync("/login", Ct)).Content.ReadAsStringAsync(Ct);
            var signedIn = await client.PostAsync("/login", PageClient.Form(login, new() { ["userName"] = userName, ["password"] = WorkflowApp.Password, ["returnUrl"] = "/inbox" }), Ct);
            Assert.EndsWith("/inbox", signedIn.RequestMessage!.RequestUri!.AbsolutePath);
            return client;
        }

        public async ValueTask DisposeAsync()
        {
            if (Process is not null)
            {
                await Process.DisposeAsync();
            }

            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            try
            {
                Directory.Delete(Folder, recursive: true);
            }
            catch (IOException)
            {
            }
        }
    }
}
