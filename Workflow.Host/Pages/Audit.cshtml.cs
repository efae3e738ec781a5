using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
using Workflow.Host.Features.Audit;
using Workflow.Host.Infrastructure;
using Workflow.Host.Workflow;
using Workflow.Persistence;
using Workflow.Persistence.Entities;

namespace Workflow.Host.Pages;

/// <summary>
/// 审计: who changed what, filtered by report, section, person, action and Beijing dates (a GET form, so a filtered
/// view is a link to share), newest first and paged, with the hash chain's verdict on top and a CSV of the same rows.
/// </summary>
[Authorize(Roles = Roles.CountyWideReaderList)]
public sealed class AuditModel(WorkflowDbContext db, AuditTrail audit, IStringLocalizer<SharedResource> t, TimeProvider clock) : SignedInPage(db)
{
    public const int PageSize = 100;
    public const int MaxCsvRows = 100_000;


    public sealed record Option(string Value, string Label);

    public sealed record Choice(Guid Id, string Label);

    public sealed record Person(string UserName, string? DisplayName);

    public sealed record Row(DateTimeOffset At, string UserName, string? DisplayName, string Action, string ActionLabel, Guid ReportId, string? ReportTitle, string? Section, IReadOnlyList<AuditFact> Facts, long Sequence);

    public sealed record ReportChain(Guid Id, string Title, ChainVerification Chain);

    [BindProperty(SupportsGet = true, Name = "report")]
    public Guid? ReportId { get; set; }

    [BindProperty(SupportsGet = true, Name = "section")]
    public Guid? SectionId { get; set; }

    [BindProperty(SupportsGet = true, Name = "person")]
    public string? PersonName { get; set; }

    [BindProperty(SupportsGet = true, Name = "action")]
    public string? ActionCode { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? From { get; set; }

    [BindProperty(SupportsGet = true)]
    public DateOnly? To { get; set; }

    /// <summary>"p", because "page" is the route value that names the Razor page itself.</summary>
    /// <summary>Check every report's chain (the overview); on request only, since it rehashes the whole trail.</summary>
    [BindProperty(SupportsGet = true, Name = "chains")]
    public bool CheckAllChains { get; set; }

    [BindProperty(SupportsGet = true, Name = "p")]
    public int PageNumber { get; set; } = 1;

    public IReadOnlyList<Choice> Reports { get; private set; } = [];

    public IReadOnlyList<Choice> Sections { get; private set; } = [];

    public IReadOnlyList<Person> People { get; private set; } = [];

    public IReadOnlyList<Option> Actions { get; private set; } = [];

    public IReadOnlyList<Row> Rows { get; private set; } = [];

    public int Total { get; private set; }

    public int PageCount => Math.Max(1, (Total + PageSize - 1) / PageSize);

    /// <summary>The chosen report's chain; null when no report is chosen.</summary>
    public ChainVerification? Chain { get; private set; }

    /// <summary>Every report's chain, shown when no report is chosen.</summary>
    public IReadOnlyList<ReportChain> Chains { get; private set; } = [];

    public async Task<IActionResult> OnGetAsync(CancellationToken ct)
    {
        await NormaliseAsync(ct);
        var filtered = Filter().Apply(Db.AuditEntries.AsNoTracking());
        Total = await filtered.CountAsync(ct);
        PageNumber = Math.Clamp(PageNumber, 1, PageCount);
        Rows = (await PageRows(Db, filtered, PageNumber).ToListAsync(ct)).Select(ToRow).ToList();

        Reports = await Db.Reports.AsNoTracking().OrderByDescending(r => r.CreatedAt).Select(r => new Choice(r.Id, r.Title)).ToListAsync(ct);
        if (ReportId is { } report)
        {
            Sections = await Db.Sections.AsNoTracking().Where(s => s.ReportId == report).OrderBy(s => s.Ordinal)
                .Select(s => new Choice(s.Id, s.Number + s.Title)).ToListAsync(ct);
            // An unknown id has no chain to vouch for; "intact, 0 entries" would be misleading. The empty id is the
            // county-wide chain (accounts, departments, routes).
            Chain = report == Guid.Empty || Reports.Any(r => r.Id == report) ? await audit.VerifyAsync(report, ct) : null;
        }
        else if (CheckAllChains)
        {
            var chains = await audit.VerifyAllAsync(ct);
            Chains = [new ReportChain(Guid.Empty, "", chains[Guid.Empty]), .. Reports.Select(r => new ReportChain(r.Id, r.Label, chains[r.Id]))];
        }

        // Everyone who appears in the trail, with the name people know them by when they are (still) a user.
        People = await (from name in Db.AuditEntries.Select(e => e.ActorName).Distinct()
                        join u in Db.Users on name equals u.UserName into users
                        from u in users.DefaultIfEmpty()
                        orderby name
                        select new Person(name, u == null ? null : u.DisplayName)).ToListAsync(ct);
        Actions = (await Db.AuditEntries.Select(e => e.Action).Distinct().ToListAsync(ct))
            .Order(StringComparer.Ordinal).Select(a => new Option(a, AuditFacts.ActionLabel(t, a))).ToList();
        return Page();
    }

    /// <summary>The filtered rows of every page as CSV, streamed so a long trail never sits in memory.</summary>
    public async Task<IActionResult> OnGetCsvAsync(CancellationToken ct)
    {
        await NormaliseAsync(ct);
        var filtered = Filter().Apply(Db.AuditEntries.AsNoTracking());
        var day = CountyTime.Local(clock.GetUtcNow()).ToString("yyyyMMdd", CultureInfo.InvariantCulture);
        Response.ContentType = "text/csv; charset=utf-8";
        Response.Headers.ContentDisposition = new ContentDispositionHeaderValue("attachment") { FileName = $"audit-{day}.csv" }.ToString();

        await using var writer = new StreamWriter(Response.Body, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
        // The byte-order mark tells Excel the file is UTF-8, without which it shows Chinese as mojibake.
        await writer.WriteAsync('\uFEFF');
        await writer.WriteAsync(Csv.Row(
            t["AuditColTime"], t["AuditColUserName"], t["AuditColDisplayName"], t["AuditColAction"], t["AuditColReport"],
            t["AuditColSection"], t["AuditColDetails"], t["AuditColSequence"], t["AuditColHash"]));
        await foreach (var j in Joined(Db, filtered).Take(MaxCsvRows).AsAsyncEnumerable().WithCancellation(ct))
        {
            var row = ToRow(j);
            await writer.WriteAsync(Csv.Row(
                CountyTime.Seconds(row.At),
                row.UserName,
                row.DisplayName,
                row.ActionLabel,
                row.ReportTitle,
                row.Section,
                AuditFacts.Line(row.Facts),
                row.Sequence.ToString(CultureInfo.InvariantCulture),
                j.Hash));
        }

        return new EmptyResult();
    }

    /// <summary>This view with other values for some query parameters (null drops one), for paging and the CSV link.</summary>
    public string Link(string? handler = null, int? page = null)
    {
        var query = new Dictionary<string, string?>
        {
            ["report"] = ReportId?.ToString(),
            ["section"] = SectionId?.ToString(),
            ["person"] = PersonName,
            ["action"] = ActionCode,
            ["from"] = IsoDate(From),
            ["to"] = IsoDate(To),
            ["handler"] = handler,
            ["p"] = page is > 1 ? page.Value.ToString(CultureInfo.InvariantCulture) : null,
        };
        return QueryHelpers.AddQueryString("/audit", query.Where(kv => !string.IsNullOrEmpty(kv.Value)));
    }

    /// <summary>The value a date input expects.</summary>
    public static string? IsoDate(DateOnly? d) => d?.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);


    /// <summary>A section given on its own (a shared link) brings its report, so the section list and chain can show.</summary>
    private async Task NormaliseAsync(CancellationToken ct)
    {
        PersonName = string.IsNullOrWhiteSpace(PersonName) ? null : PersonName.Trim();
        ActionCode = string.IsNullOrWhiteSpace(ActionCode) ? null : ActionCode.Trim();
        if (SectionId is { } section && ReportId is null)
        {
            ReportId = await Db.Sections.Where(s => s.Id == section).Select(s => (Guid?)s.ReportId).FirstOrDefaultAsync(ct);
        }
    }

    /// <summary>Dates are whole Beijing days: from its midnight, to the midnight after the "to" day.</summary>
    private AuditFilter Filter() => new(
        ReportId,
        SectionId,
        PersonName,
        ActionCode,
        From is { } f ? CountyTime.StartOf(f) : null,
        To is { } to ? CountyTime.StartOf(to.AddDays(1)) : null);

    internal sealed record JoinedEntry(
        DateTimeOffset At, long Sequence, string ActorName, string? DisplayName, string Action, string Data, string Hash,
        Guid ReportId, string? ReportTitle, string? SectionNumber, string? SectionTitle);

    /// <summary>
    /// Entries with their report, section and person in one query (no query per row), newest first like the API;
    /// ordered after the joins because an ordering inside a joined subquery is not kept.
    /// </summary>
    internal static IQueryable<JoinedEntry> Joined(WorkflowDbContext db, IQueryable<AuditEntry> filtered) =>
        from e in filtered
        join r in db.Reports on e.ReportId equals r.Id into reports
        from r in reports.DefaultIfEmpty()
        join s in db.Sections on e.SectionId equals (Guid?)s.Id into sections
        from s in sections.DefaultIfEmpty()
        join u in db.Users on e.ActorId equals u.Id into users
        from u in users.DefaultIfEmpty()
        orderby e.At descending, e.Sequence descending
        select new JoinedEntry(
            e.At, e.Sequence, e.ActorName, u == null ? null : u.DisplayName, e.Action, e.Data, e.Hash,
            e.ReportId, r == null ? null : r.Title, s == null ? null : s.Number, s == null ? null : s.Title);

    /// <summary>One page (numbered from 1) of the joined entries.</summary>
    internal static IQueryable<JoinedEntry> PageRows(WorkflowDbContext db, IQueryable<AuditEntry> filtered, int page) =>
        Joined(db, filtered).Skip((page - 1) * PageSize).Take(PageSize);

    private Row ToRow(JoinedEntry j) => new(
        j.At,
        j.ActorName,
        j.DisplayName,
        j.Action,
        AuditFacts.ActionLabel(t, j.Action),
        j.ReportId,
        j.ReportTitle,
        j.SectionTitle is null ? null : j.SectionNumber + j.SectionTitle,
        AuditFacts.Read(t, j.Data),
        j.Sequence);
}
