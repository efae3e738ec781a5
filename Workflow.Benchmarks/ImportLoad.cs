using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

namespace Workflow.Benchmarks;

/// <summary>
/// Eight large .docx imports at once against a running host, while another user reads GET /api/tasks in a loop:
/// the readers' latency (p50/p95/max) before and during the imports, the imports' answers and durations, and the
/// host's peak resident memory (sampled from /proc/PID/status, so run it on the host's machine).
///   dotnet run -c Release --project Workflow.Benchmarks -- imports --url http://127.0.0.1:5081 --pid 1234 [--imports 8]
/// </summary>
public static class ImportLoad
{
    private const string Password = "Demo-2026!";

    public static async Task<int> RunAsync(string url, int pid, int imports)
    {
        var docx = LargeDocx(19 * 1024 * 1024);
        Console.WriteLine($"document: {docx.Length / 1024.0 / 1024:F1} MB .docx, 19 MB of XML");
        var admin = await LoginAsync(url, "admin");
        var reader = await LoginAsync(url, "zuzhi.author");
        for (var i = 0; i < 20; i++)
        {
            (await reader.GetAsync("/api/tasks")).EnsureSuccessStatusCode();
        }

        var baseRss = Rss(pid);
        var idle = await TimeReadsAsync(reader, TimeSpan.FromSeconds(5), null);
        Report("GET /api/tasks, no import", idle);

        var peak = baseRss;
        using var sampling = new CancellationTokenSource();
        var sampler = Task.Run(async () =>
        {
            while (!sampling.IsCancellationRequested)
            {
                peak = Math.Max(peak, Rss(pid));
                await Task.Delay(20);
            }
        });
        var reports = new List<Guid>();
        for (var i = 0; i < imports; i++)
        {
            var r = await admin.PostAsJsonAsync("/api/reports", new { title = $"大文档导入{i}" });
            reports.Add((await r.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid());
        }

        var wall = Stopwatch.StartNew();
        var running = reports.Select(async id =>
        {
            var started = wall.Elapsed;
            using var form = new MultipartFormDataContent();
            form.Add(new ByteArrayContent(docx), "file", "大文档.docx");
            var r = await admin.PostAsync($"/api/reports/{id}/import?dryRun=true", form);
            var body = await r.Content.ReadAsStringAsync();
            var code = body.Contains("\"code\"", StringComparison.Ordinal) ? JsonDocument.Parse(body).RootElement.GetProperty("code").GetString() : "";
            return ((int)r.StatusCode, code, (wall.Elapsed - started).TotalSeconds);
        }).ToList();
        var all = Task.WhenAll(running);
        var busy = await TimeReadsAsync(reader, TimeSpan.FromMinutes(5), all);
        var results = await all;
        await sampling.CancelAsync();
        await sampler;
        Report("GET /api/tasks, during imports", busy);
        foreach (var (status, code, seconds) in results)
        {
            Console.WriteLine($"import: {status} {code} in {seconds:F1} s");
        }

        Console.WriteLine($"all imports done in {wall.Elapsed.TotalSeconds:F1} s; host RSS {baseRss / 1024} MB before, peak {peak / 1024} MB");
        return 0;
    }

    private static async Task<List<double>> TimeReadsAsync(HttpClient reader, TimeSpan longest, Task? until)
    {
        var times = new List<double>();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < longest && until?.IsCompleted != true)
        {
            var one = Stopwatch.StartNew();
            (await reader.GetAsync("/api/tasks")).EnsureSuccessStatusCode();
            times.Add(one.Elapsed.TotalMilliseconds);
            await Task.Delay(50);
        }

        return times;
    }

    private static void Report(string what, List<double> times)
    {
        times.Sort();
        double At(double q) => times[Math.Min(times.Count - 1, (int)(q * times.Count))];
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"{what}: n={times.Count} p50={At(0.5):F1} ms p95={At(0.95):F1} ms max={times[^1]:F1} ms"));
    }

    /// <summary>VmRSS of the host in KB.</summary>
    private static long Rss(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmRSS:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture);
    }

    private static async Task<HttpClient> LoginAsync(string url, string userName)
    {
        var client = new HttpClient(new SocketsHttpHandler { UseCookies = false, MaxConnectionsPerServer = 32 }) { BaseAddress = new Uri(url), Timeout = TimeSpan.FromMinutes(5) };
        var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = Password });
        response.EnsureSuccessStatusCode();
        var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
        return client;
    }

    /// <summary>
    /// Markup as Word writes it (run properties on every short run) around varied Chinese text: about 19 MB of XML
    /// holding some 900,000 characters, under the import's character limit, compressing about 6:1 like the reported file.
    /// </summary>
    private static byte[] LargeDocx(int xmlBytes)
    {
        var random = new Random(3);
        var xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\"><w:body>");
        var run = new char[9];
        while (xml.Length * 1.3 < xmlBytes) // about 1.3 UTF-8 bytes a character: ASCII markup, 3-byte text
        {
            xml.Append("<w:p><w:pPr><w:spacing w:line=\"579\" w:lineRule=\"exact\"/><w:ind w:firstLineChars=\"200\" w:firstLine=\"640\"/></w:pPr>");
            for (var r = 0; r < 12; r++)
            {
                for (var i = 0; i < run.Length; i++)
                {
                    run[i] = (char)random.Next(0x4E00, 0x4E00 + 300);
                }

                xml.Append("<w:r><w:rPr><w:rFonts w:ascii=\"仿宋_GB2312\" w:eastAsia=\"仿宋_GB2312\" w:hAnsi=\"仿宋_GB2312\"/><w:sz w:val=\"32\"/></w:rPr><w:t>").Append(run).Append("</w:t></w:r>");
            }

            xml.Append("</w:p>");
        }

        xml.Append("</w:body></w:document>");
        using var ms = new MemoryStream();
        using (var zip = new ZipArchive(ms, ZipArchiveMode.Create, leaveOpen: true))
        {
            Add(zip, "[Content_Types].xml", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\"><Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/><Default Extension=\"xml\" ContentType=\"application/xml\"/><Override PartName=\"/word/document.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml\"/></Types>");
            Add(zip, "_rels/.rels", "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?><Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\"><Relationship Id=\"rId1\" Type=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument\" Target=\"word/document.xml\"/></Relationships>");
            Add(zip, "word/document.xml", xml.ToString());
        }

        return ms.ToArray();
    }

    private static void Add(ZipArchive zip, string name, string text)
    {
        using var w = zip.CreateEntry(name).Open();
        w.Write(Encoding.UTF8.GetBytes(text));
    }
}
