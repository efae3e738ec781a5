#:project ../Workflow.Activities/Workflow.Activities.csproj
// Writes the demo report (shared/fixtures/party-building-report-2020h1.txt) as a signed final .docx, for a
// visual check of the final document with deploy/render-docx.sh:
//
//   dotnet run deploy/final-sample.cs -- OUT_DIR [FIXTURE]
//   bash deploy/render-docx.sh OUT_DIR/final-sample.docx
//
// Also writes final-long-title.docx (a title that wraps) and draft-sample.docx (the same report before 签发).
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
Console.WriteLine(Path.GetFullPath(Path.Combine(outDir, "final-sample.docx")));
