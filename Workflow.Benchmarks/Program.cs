using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;

// Measures department-head approvals per second through the public HTTP API of a running host:
//   dotnet run -c Release --project Workflow.Benchmarks -- approvals --url http://127.0.0.1:5081 --sections 600 --concurrency 8 [--warmup 20]
// Setup (report, sections, edit + submit) is not timed; only the approve requests are.
// "pages" instead times every web page on the demo county (PageTimings.cs).
// With --notify-db PATH (the host's SQLite file) it then waits for the notices each approval causes and
// reports the latency from the approval's command to its committee notices being written: for each
// approval, the time of its last TaskAssigned notice minus the time its outbox row was stamped (the
// command's clock reading, taken before the commit, so the figure is an upper bound of commit-to-notice).

const string Password = "Demo-2026!";
string[] departments = ["zuzhi", "jiwei", "xuanchuan"];

if (args.Length > 0 && args[0] == "pages")
{
    // Every web page's response time on the demo county (see PageTimings).
    return await Workflow.Benchmarks.PageTimings.RunAsync(
        Option("--url", "http://127.0.0.1:5081"),
        int.Parse(Option("--requests", "50"), CultureInfo.InvariantCulture),
        int.Parse(Option("--warmup", "5"), CultureInfo.InvariantCulture));
}

if (args.Length > 0 && args[0] == "imports")
{
    // Eight large .docx imports at once: other users' latency and the host's peak memory (ImportLoad).
    return await Workflow.Benchmarks.ImportLoad.RunAsync(
        Option("--url", "http://127.0.0.1:5081"),
        int.Parse(Option("--pid", "0"), CultureInfo.InvariantCulture),
        int.Parse(Option("--imports", "8"), CultureInfo.InvariantCulture));
}

if (args.Length == 0 || args[0] != "approvals")
{
    Console.Error.WriteLine("usage: approvals [--url http://127.0.0.1:5081] [--sections 600] [--concurrency 8] [--warmup 20] [--notify-db ./data/workflow.db] [--rate 0]");
    Console.Error.WriteLine("       pages [--url http://127.0.0.1:5081] [--requests 50] [--warmup 5]");
    Console.Error.WriteLine("       imports --pid HOST_PID [--url http://127.0.0.1:5081] [--imports 8]");
    return 2;
}

var url = Option("--url", "http://127.0.0.1:5081");
var sections = int.Parse(Option("--sections", "600"), CultureInfo.InvariantCulture);
var concurrency = int.Parse(Option("--concurrency", "8"), CultureInfo.InvariantCulture);
var warmup = int.Parse(Option("--warmup", "20"), CultureInfo.InvariantCulture);
// --rate N paces the approvals at N per second (0 = as fast as the workers go), for latency at a steady load.
var rate = double.Parse(Option("--rate", "0"), CultureInfo.InvariantCulture);
if (sections < 1 || concurrency < 1 || warmup < 0)
{
    Console.Error.WriteLine("--sections and --concurrency must be at least 1, --warmup at least 0");
    return 2;
}

// 1. One client per user, each with its own bearer token and connection pool.
var users = new[] { "admin" }.Concat(departments.Select(d => $"{d}.head")).Concat(departments.Select(d => $"{d}.author"));
var clients = new Dictionary<string, HttpClient>();
foreach (var user in users)
{
    clients[user] = await LoginAsync(user);
}

var admin = clients["admin"];

// 2. Setup, not timed: warm-up sections come first in the queue, so they are the ones left unmeasured.
var setupClock = Stopwatch.StartNew();
var report = await ReadIdAsync(await admin.PostAsJsonAsync("/api/reports", new { title = $"审批压测 {DateTime.Now:yyyy-MM-dd HH:mm:ss}", lead = "压测用报告。" }), HttpStatusCode.Created);
var total = sections + warmup;
var created = new (Guid Id, string Department)[total];
var setupRetries = 0;
// Section creation appends to the report's single audit chain, so more parallelism only means more write conflicts.
await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, _) =>
{
    var department = departments[i % departments.Length];
    var body = new { title = $"第{i + 1}节 工作情况", number = $"（{i + 1}）", content = Text(i, "初稿"), department, author = $"{department}.author" };
    var id = await ReadIdAsync(await RetryOnConflictAsync(() => admin.PostAsJsonAsync($"/api/reports/{report}/sections", body)), HttpStatusCode.Created);
    created[i] = (id, department);
});
await Parallel.ForEachAsync(Enumerable.Range(0, total), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (i, _) =>
{
    var (id, department) = created[i];
    var author = clients[$"{department}.author"];
    await ExpectAsync(await RetryOnConflictAsync(() => author.PutAsJsonAsync($"/api/sections/{id}/content", new { content = Text(i, "修订稿"), baseVersion = 1, note = "补充数字" })), HttpStatusCode.OK);
    await ExpectAsync(await RetryOnConflictAsync(() => author.PostAsJsonAsync($"/api/sections/{id}/submit", new { version = 2 })), HttpStatusCode.OK);
});
Console.WriteLine($"setup: report {report}, {total} sections created, edited and submitted in {setupClock.Elapsed.TotalSeconds:F1} s ({setupRetries} retries after 409)");

// 3. Warm-up (JIT, connection pools, SQLite page cache), then the timed phase over distinct sections.
if (warmup > 0)
{
    var warm = await ApproveAllAsync(created[..warmup]);
    Console.WriteLine($"warm-up: {warmup} approvals, {warm.Errors.Count} errors");
}

var timedFrom = DateTimeOffset.UtcNow;
var run = await ApproveAllAsync(created[warmup..]);

// 4. Results.
var sorted = run.Latencies.Order().ToArray();
Console.WriteLine($"approvals:   {sorted.Length - run.Errors.Count} ok of {sorted.Length} requests, concurrency {concurrency}{(rate > 0 ? $", paced at {rate}/s" : "")}");
Console.WriteLine($"wall time:   {run.Wall.TotalSeconds:F2} s");
Console.WriteLine($"throughput:  {(sorted.Length - run.Errors.Count) / run.Wall.TotalSeconds:F1} approvals/s");
Console.WriteLine($"latency ms:  p50 {Percentile(50):F1}  p90 {Percentile(90):F1}  p99 {Percentile(99):F1}  max {sorted[^1]:F1}");
Console.WriteLine($"errors:      {run.Errors.Count}");
foreach (var group in run.Errors.GroupBy(e => e.Status))
{
    Console.WriteLine($"  {group.Key}: {group.Count()}, e.g. {group.First().Body}");
}

var notifyDb = Option("--notify-db", "");
if (notifyDb.Length > 0)
{
    await NotificationLatencyAsync(notifyDb, report, timedFrom, sections - run.Errors.Count);
}

return run.Errors.IsEmpty ? 0 : 1;

async Task NotificationLatencyAsync(string path, Guid reportId, DateTimeOffset from, int approvals)
{
    await using var db = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={path};Mode=ReadOnly");
    await db.OpenAsync();
    var wait = Stopwatch.StartNew();
    List<double> perApproval;
    while (true)
    {
        await using var cmd = db.CreateCommand();
        // Times are stored as UTC ticks; a committee TaskAssigned is written once per member per approval.
        cmd.CommandText = """
            SELECT o.SectionId, MIN(o.CreatedAt), MAX(n.CreatedAt), COUNT(n.Id)
            FROM Outbox o JOIN Notifications n ON n.MessageId = o.Id
            WHERE o.ReportId = $report AND o.MessageType = 'TaskAssigned' AND o.CreatedAt >= $from
            GROUP BY o.SectionId
            """;
        cmd.Parameters.AddWithValue("$report", reportId.ToString().ToUpperInvariant());
        cmd.Parameters.AddWithValue("$from", from.UtcTicks);
        perApproval = [];
        var notices = 0L;
        await using (var reader = await cmd.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                perApproval.Add(TimeSpan.FromTicks(reader.GetInt64(2) - reader.GetInt64(1)).TotalMilliseconds);
                notices += reader.GetInt64(3);
            }
        }

        if (perApproval.Count >= approvals || wait.Elapsed > TimeSpan.FromSeconds(120))
        {
            Console.WriteLine($"notices:     {notices} committee notices for {perApproval.Count} of {approvals} approvals (waited {wait.Elapsed.TotalSeconds:F1} s after the run)");
            break;
        }

        await Task.Delay(500);
    }

    var ordered = perApproval.Order().ToArray();
    double P(double p) => ordered[Math.Clamp((int)Math.Ceiling(p / 100 * ordered.Length) - 1, 0, ordered.Length - 1)];
    Console.WriteLine($"approval -> notice ms: p50 {P(50):F1}  p90 {P(90):F1}  p99 {P(99):F1}  max {ordered[^1]:F1}");
}

// Latency is measured for every request, failed ones included; failures are not counted as approvals.
async Task<(ConcurrentBag<double> Latencies, ConcurrentBag<(int Status, string Body)> Errors, TimeSpan Wall)> ApproveAllAsync((Guid Id, string Department)[] work)
{
    var queue = new ConcurrentQueue<(Guid Id, string Department)>(work);
    var latencies = new ConcurrentBag<double>();
    var errors = new ConcurrentBag<(int, string)>();
    var wall = Stopwatch.StartNew();
    var started = 0;
    await Task.WhenAll(Enumerable.Range(0, concurrency).Select(_ => Task.Run(async () =>
    {
        // The queue hands each section to exactly one worker, so workers never race on the same section.
        while (queue.TryDequeue(out var section))
        {
            if (rate > 0)
            {
                var due = TimeSpan.FromSeconds(Interlocked.Increment(ref started) / rate) - wall.Elapsed;
                if (due > TimeSpan.Zero)
                {
                    await Task.Delay(due);
                }
            }

            var head = clients[$"{section.Department}.head"];
            var clock = Stopwatch.StartNew();
            using var response = await head.PostAsJsonAsync($"/api/sections/{section.Id}/approve", new { version = 2, opinion = "同意。" });
            var body = await response.Content.ReadAsStringAsync();
            latencies.Add(clock.Elapsed.TotalMilliseconds);
            if (response.StatusCode != HttpStatusCode.OK)
            {
                errors.Add(((int)response.StatusCode, body));
            }
        }
    })));
    return (latencies, errors, wall.Elapsed);
}

async Task<HttpClient> LoginAsync(string userName)
{
    var client = new HttpClient(new SocketsHttpHandler
    {
        // Enough connections that no worker waits for a free one; a head may serve all workers at once.
        MaxConnectionsPerServer = Math.Max(concurrency, 8) * 2,
        // Bearer tokens only: the login cookie would be a second, redundant credential.
        UseCookies = false,
    }) { BaseAddress = new Uri(url) };
    var response = await client.PostAsJsonAsync("/api/auth/login", new { userName, password = Password });
    await ExpectAsync(response, HttpStatusCode.OK);
    var token = (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("token").GetString();
    client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", token);
    return client;
}

// Setup only: the host itself retries write conflicts a few times, then answers 409 concurrent-change;
// setup is not what is measured, so it tries again rather than abort, and the count is printed.
async Task<HttpResponseMessage> RetryOnConflictAsync(Func<Task<HttpResponseMessage>> send)
{
    for (var attempt = 1; ; attempt++)
    {
        var response = await send();
        if (response.StatusCode != HttpStatusCode.Conflict || attempt == 5 || !(await response.Content.ReadAsStringAsync()).Contains("concurrent-change", StringComparison.Ordinal))
        {
            return response;
        }

        Interlocked.Increment(ref setupRetries);
        response.Dispose();
    }
}

static async Task<Guid> ReadIdAsync(HttpResponseMessage response, HttpStatusCode expected)
{
    await ExpectAsync(response, expected);
    return (await response.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("id").GetGuid();
}

static async Task ExpectAsync(HttpResponseMessage response, HttpStatusCode expected)
{
    if (response.StatusCode != expected)
    {
        throw new InvalidOperationException($"{response.RequestMessage?.Method} {response.RequestMessage?.RequestUri} answered {(int)response.StatusCode} instead of {(int)expected}: {await response.Content.ReadAsStringAsync()}");
    }
}

// About 500 Chinese characters, distinct per section so every version has its own hash.
static string Text(int i, string draft)
{
    var text = new StringBuilder($"第{i + 1}节（{draft}）：");
    while (text.Length < 500)
    {
        text.Append("一是深入组织动员，全年发展党员十二名，培训入党积极分子三十六名；二是严格落实三会一课制度，基层党组织规范化建设持续推进；");
    }

    return text.ToString(0, 500);
}

// Nearest-rank percentile over the sorted latencies.
double Percentile(double p) => sorted[Math.Clamp((int)Math.Ceiling(p / 100 * sorted.Length) - 1, 0, sorted.Length - 1)];

string Option(string name, string fallback)
{
    var i = Array.IndexOf(args, name);
    return i >= 0 && i + 1 < args.Length ? args[i + 1] : fallback;
}
