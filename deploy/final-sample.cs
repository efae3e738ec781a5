#:project ../Workflow.Activities/Workflow.Activities.csproj
// Writes the demo report (shared/fixtures/party-building-report-2020h1.txt) as a signed final .docx, for a
// visual check of the final document with deploy/render-docx.sh:
//
//   dotnet run deploy/final-sample.cs -- OUT_DIR [FIXTURE]
//   bash deploy/render-docx.sh OUT_DIR/final-sample.docx
//
// Also writes final-long-title.docx (a title that wraps), draft-sample.docx (the same report before 签发) and
// comparison-sample.docx (定稿 1 against a 定稿 2 with figures filled in, words struck, a paragraph added and one
// split, as Word revisions).
using Workflow.Activities.Documents;

var outDir = args.Length > 0 ? args[0] : ".";
// From the repository's root, shared/ lies beside it.
var fixture = args.Length > 1 ? args[1] : "../shared/fixtures/party-building-report-2020h1.txt";

var parsed = OutlineParser.Parse(File.ReadAllText(fixture));
var blocks = new List<DocumentBlock>();
void Walk(IEnumerable<OutlineSection> sections)
{
    foreach (var s in sections)
    {
        var heading = s.HeadingText.Trim();
        var title = heading.StartsWith(s.Number, StringComparison.Ordinal) ? heading[s.Number.Length..] : s.Title;
        blocks.Add(new DocumentBlock(s.Level, s.Number, title, s.SharesLine, s.Body.Trim()));
        Walk(s.Children);
    }
}

Walk(parsed.Parts);
var final = new ReportDocument(parsed.Title, parsed.Lead.Trim(), blocks, parsed.Closing.Trim(), Draft: false)
{
    Addressee = "市委组织部",
    Issuer = "中共X县委",
    SignedOn = new DateOnly(2020, 7, 10),
};

Directory.CreateDirectory(outDir);
File.WriteAllBytes(Path.Combine(outDir, "final-sample.docx"), DocxExporter.Export(final));
File.WriteAllBytes(Path.Combine(outDir, "final-long-title.docx"), DocxExporter.Export(final with { Title = "中共X县委关于2020年上半年加强党的建设工作情况的报告" }));
File.WriteAllBytes(Path.Combine(outDir, "draft-sample.docx"), DocxExporter.Export(final with { Draft = true, SignedOn = null }));

var first = FinalText.Of(final);
var second = first
    .Replace("第一职责、第一要务、第一政绩", "第一职责、第一政绩", StringComparison.Ordinal)
    .Replace("发展党员X名，转正预备党员X名", "发展党员126名，转正预备党员98名", StringComparison.Ordinal)
    .Replace("抓支部，建强建优党组织。", "\n抓支部，建强建优党组织。", StringComparison.Ordinal)
    .Replace("二是坚持抓主业，提升责任担当。", "二是坚持抓主业，提升责任担当。县委书记带头履行第一责任人职责。", StringComparison.Ordinal);
second = second.Insert(second.IndexOf("二是坚持抓主业", StringComparison.Ordinal), "同时，全县开展“党员先锋岗”创建活动，共设岗X个。\n");
File.WriteAllBytes(Path.Combine(outDir, "comparison-sample.docx"), DocxComparison.Export(new ComparisonDocument(
    parsed.Title,
    new ComparedFinal("定稿 1", FinalText.HashOf(final), "王书记", new DateTimeOffset(2020, 7, 10, 16, 5, 0, TimeSpan.FromHours(8))),
    new ComparedFinal("定稿 2", ContentHash.Of(second), "李书记", new DateTimeOffset(2020, 7, 14, 9, 30, 0, TimeSpan.FromHours(8))),
    TrackedChanges.Compute([new AuthoredText(first, "wang"), new AuthoredText(second, "li")]),
    "李书记")));
Console.WriteLine(Path.GetFullPath(Path.Combine(outDir, "final-sample.docx")));
