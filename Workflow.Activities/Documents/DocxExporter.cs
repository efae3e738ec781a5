using DocumentFormat.OpenXml;
using DocumentFormat.OpenXml.Packaging;
using DocumentFormat.OpenXml.Wordprocessing;
using L = Workflow.Activities.Documents.DocxLayout;

namespace Workflow.Activities.Documents;

/// <summary>
/// Lays a <see cref="ReportDocument"/> out as a .docx following GB/T 9704-2012: A4, margins 37/35/28/26 mm,
/// 2号方正小标宋简体 title, 3号仿宋_GB2312 body with a two-character first-line indent, fixed 28.95 pt lines
/// (22 a page), headings 黑体 / 楷体_GB2312 / 仿宋_GB2312 (bold) / 仿宋_GB2312 carrying their outline level,
/// and "— 1 —" page numbers in 4号宋体 at the outer edge (right on odd pages, left on even ones). A draft is marked
/// 征求意见稿 above the title and in the header of later pages; a final carries no mark, a 主送机关 flush left under
/// the title and its 落款 after the text. Pure: works in memory and returns the package bytes.
/// </summary>
public static class DocxExporter
{
    public static byte[] Export(ReportDocument doc)
    {
        ArgumentNullException.ThrowIfNull(doc);
        using var ms = new MemoryStream();
        using (var package = WordprocessingDocument.Create(ms, WordprocessingDocumentType.Document))
        {
            package.PackageProperties.Title = StoredText.ForXml(TitleLines.Joined(doc.Title));
            package.PackageProperties.Language = "zh-CN";
            if (doc.Draft)
            {
                package.PackageProperties.ContentStatus = L.DraftMark; // a final names no status, so nothing says 征求意见稿
            }

            if (doc.Provenance is { } provenance)
            {
                package.PackageProperties.Description = provenance;
            }

            var main = package.AddMainDocumentPart();
            var styles = main.AddNewPart<StyleDefinitionsPart>("rIdStyles");
            styles.Styles = BuildStyles();
            var fonts = main.AddNewPart<FontTablePart>("rIdFonts");
            fonts.Fonts = BuildFontTable();
            var settings = main.AddNewPart<DocumentSettingsPart>("rIdSettings");
            settings.Settings = new Settings(new EvenAndOddHeaders());

            var body = new Body();
            foreach (var p in BodyParagraphs(doc))
            {
                body.Append(p);
            }

            body.Append(BuildSection(main, doc.Draft ? L.DraftMark : null));
            main.Document = new Document(body);
            main.Document.Save();
        }

        return ms.ToArray();
    }

    private static List<Paragraph> BodyParagraphs(ReportDocument doc)
    {
        var paragraphs = new List<Paragraph>();
        if (doc.Draft)
        {
            paragraphs.Add(new Paragraph(
                new ParagraphProperties
                {
                    SpacingBetweenLines = ExactSpacing(),
                    Indentation = NoIndent(),
                    Justification = new Justification { Val = JustificationValues.Right },
                },
                TextRun(L.DraftMark, L.HeiFont, L.BodySize, bold: false)));
        }

        // The title's lines as chosen (or as the clerk broke them), each ended by an explicit break: no line is
        // wider than the type area, so Word never wraps one again and every line stays a complete word group.
        var titleLines = TitleLines.Lines(doc.Title);
        var title = new Paragraph(new ParagraphProperties
        {
            KeepNext = new KeepNext(),
            SnapToGrid = new SnapToGrid { Val = false }, // a 2号 line keeps its exact 28.95 pt instead of taking two grid lines
            // No extra space between Chinese and digits (2020年): the line is exactly as wide as it was measured.
            AutoSpaceDE = new AutoSpaceDE { Val = false },
            AutoSpaceDN = new AutoSpaceDN { Val = false },
            SpacingBetweenLines = ExactSpacing(),
            Indentation = NoIndent(),
            Justification = new Justification { Val = JustificationValues.Center },
        });
        for (var i = 0; i < titleLines.Count; i++)
        {
            var run = new Run(RunProps(L.TitleFont, L.TitleSize, bold: false));
            if (i > 0)
            {
                run.Append(new Break());
            }

            run.Append(new Text(StoredText.ForXml(titleLines[i])) { Space = SpaceProcessingModeValues.Preserve });
            title.Append(run);
        }

        paragraphs.Add(title);
        paragraphs.Add(new Paragraph(new ParagraphProperties { KeepNext = new KeepNext(), SpacingBetweenLines = ExactSpacing(), Indentation = NoIndent() }));

        // 主送机关: under the title after one blank line, flush left (顶格, also when it wraps), with a full-width colon.
        if (L.AddresseeLine(doc.Addressee) is { } addressee)
        {
            paragraphs.Add(new Paragraph(
                new ParagraphProperties
                {
                    KeepNext = new KeepNext(),
                    SpacingBetweenLines = ExactSpacing(),
                    Indentation = NoIndent(),
                    Justification = new Justification { Val = JustificationValues.Both },
                },
                TextRun(addressee, L.BodyFont, L.BodySize, bold: false)));
        }

        paragraphs.AddRange(L.Paragraphs(doc.Lead).Select(BodyParagraph));
        paragraphs.AddRange((doc.Blocks ?? []).SelectMany(BlockParagraphs));

        var closing = L.Closing(doc);
        paragraphs.AddRange(closing.Text.Select(BodyParagraph));
        if (closing.Issuer is not null || closing.Date is not null)
        {
            // 落款 of a document without a seal: one blank line under the text, then name and date (see
            // SignoffRightChars), kept together. (Not kept with the text: LibreOffice would move the whole last
            // paragraph, leaving half a page empty; GB/T 9704 7.3.5.5 leaves that case to adjusting the spacing.)
            var (issuerRight, dateRight) = L.SignoffRightChars(closing.Issuer, closing.Date);
            paragraphs.Add(new Paragraph(new ParagraphProperties { KeepNext = new KeepNext(), SpacingBetweenLines = ExactSpacing(), Indentation = NoIndent() }));
            if (closing.Issuer is not null)
            {
                paragraphs.Add(RightParagraph(closing.Issuer, issuerRight, keepNext: closing.Date is not null));
            }

            if (closing.Date is not null)
            {
                paragraphs.Add(RightParagraph(closing.Date, dateRight, keepNext: false));
            }
        }

        return paragraphs;
    }

    private static IEnumerable<Paragraph> BlockParagraphs(DocumentBlock block)
    {
        var paragraphs = L.Paragraphs(block.Body);
        var skip = 0;
        if (L.HasHeading(block))
        {
            var level = L.ClampLevel(block.Level);
            var font = L.HeadingFont(level);
            var bold = L.HeadingBold(level);
            var heading = new Paragraph(HeadingProps(level, keepNext: !(block.InlineHeading && paragraphs.Count > 0)));
            if (block.InlineHeading && paragraphs.Count > 0)
            {
                heading.Append(TextRun(L.HeadingText(block) + L.InlineTerminator(block), font, L.BodySize, bold));
                heading.Append(TextRun(paragraphs[0], L.BodyFont, L.BodySize, bold: false));
                skip = 1;
            }
            else
            {
                heading.Append(TextRun(L.HeadingText(block), font, L.BodySize, bold));
            }

            yield return heading;
        }

        foreach (var line in paragraphs.Skip(skip))
        {
            yield return BodyParagraph(line);
        }
    }

    private static ParagraphProperties HeadingProps(int level, bool keepNext) => new()
    {
        KeepNext = keepNext ? new KeepNext() : null,
        SpacingBetweenLines = ExactSpacing(),
        Indentation = FirstLineIndent(),
        Justification = new Justification { Val = JustificationValues.Both },
        OutlineLevel = new OutlineLevel { Val = level - 1 },
    };

    private static Paragraph BodyParagraph(string text) =>
        new(
            new ParagraphProperties
            {
                SpacingBetweenLines = ExactSpacing(),
                Indentation = FirstLineIndent(),
                Justification = new Justification { Val = JustificationValues.Both },
            },
            TextRun(text, L.BodyFont, L.BodySize, bold: false));

    /// <summary>A 落款 line (发文机关署名, 成文日期): right-aligned, <paramref name="rightChars"/> 3号 characters in from the right margin.</summary>
    private static Paragraph RightParagraph(string text, double rightChars, bool keepNext) =>
        new(
            new ParagraphProperties
            {
                KeepNext = keepNext ? new KeepNext() : null,
                // Widths are counted without the extra space Word and LibreOffice put between Chinese and digits
                // (中共X县委, 2020年7月1日); with it the date's first character would not stand two characters right of the name's.
                AutoSpaceDE = new AutoSpaceDE { Val = false },
                AutoSpaceDN = new AutoSpaceDN { Val = false },
                SpacingBetweenLines = ExactSpacing(),
                Indentation = new Indentation
                {
                    Right = ((int)Math.Round(rightChars * L.FirstLineIndent / 2)).ToString(System.Globalization.CultureInfo.InvariantCulture),
                    RightChars = (int)Math.Round(rightChars * 100),
                    FirstLine = "0",
                    FirstLineChars = 0,
                },
                Justification = new Justification { Val = JustificationValues.Right },
            },
            TextRun(text, L.BodyFont, L.BodySize, bold: false));

    internal static SpacingBetweenLines ExactSpacing() =>
        new() { Before = "0", After = "0", Line = L.LinePitch.ToString(System.Globalization.CultureInfo.InvariantCulture), LineRule = LineSpacingRuleValues.Exact };

    internal static Indentation FirstLineIndent() =>
        new() { FirstLineChars = 200, FirstLine = L.FirstLineIndent.ToString(System.Globalization.CultureInfo.InvariantCulture) };

    internal static Indentation NoIndent() => new() { FirstLineChars = 0, FirstLine = "0" };

    internal static RunProperties RunProps(string font, string size, bool bold) => new()
    {
        RunFonts = new RunFonts { Ascii = font, HighAnsi = font, EastAsia = font, ComplexScript = font },
        Bold = bold ? new Bold() : null,
        BoldComplexScript = bold ? new BoldComplexScript() : null,
        Spacing = size == L.BodySize ? new Spacing { Val = L.BodyCharSpacing } : null,
        FontSize = new FontSize { Val = size },
        FontSizeComplexScript = new FontSizeComplexScript { Val = size },
    };

    // Text stored before characters were checked may hold some XML cannot carry; they are left out, never a failed export.
    internal static Run TextRun(string text, string font, string size, bool bold) =>
        new(RunProps(font, size, bold), new Text(StoredText.ForXml(text)) { Space = SpaceProcessingModeValues.Preserve });

    /// <summary>Normal = 3号仿宋_GB2312 with exact 28.95 pt lines, so text without run properties is still right.</summary>
    internal static Styles BuildStyles()
    {
        var bodyFonts = new RunFonts { Ascii = L.BodyFont, HighAnsi = L.BodyFont, EastAsia = L.BodyFont, ComplexScript = L.BodyFont };
        var docDefaults = new DocDefaults(
            new RunPropertiesDefault(new RunPropertiesBaseStyle(
                (RunFonts)bodyFonts.CloneNode(true),
                new FontSize { Val = L.BodySize },
                new FontSizeComplexScript { Val = L.BodySize },
                new Languages { Val = "en-US", EastAsia = "zh-CN", Bidi = "ar-SA" })),
            new ParagraphPropertiesDefault(new ParagraphPropertiesBaseStyle(
                new WidowControl { Val = false },
                new SpacingBetweenLines { Before = "0", After = "0", Line = "579", LineRule = LineSpacingRuleValues.Exact })));

        var normal = new Style(
            new StyleName { Val = "Normal" },
            new PrimaryStyle(),
            new StyleParagraphProperties(
                new WidowControl { Val = false }, // every page holds its 22 lines; no line is pushed over for a widow
                new SpacingBetweenLines { Before = "0", After = "0", Line = "579", LineRule = LineSpacingRuleValues.Exact },
                new Justification { Val = JustificationValues.Both }),
            new StyleRunProperties(
                (RunFonts)bodyFonts.CloneNode(true),
                new Spacing { Val = L.BodyCharSpacing },
                new FontSize { Val = L.BodySize },
                new FontSizeComplexScript { Val = L.BodySize }))
        {
            Type = StyleValues.Paragraph,
            StyleId = "Normal",
            Default = true,
        };

        var footer = new Style(
            new StyleName { Val = "footer" },
            new BasedOn { Val = "Normal" },
            new StyleParagraphProperties(
                new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }),
            new StyleRunProperties(
                new RunFonts { Ascii = L.SongFont, HighAnsi = L.SongFont, EastAsia = L.SongFont, ComplexScript = L.SongFont },
                new FontSize { Val = L.PageNumberSize },
                new FontSizeComplexScript { Val = L.PageNumberSize }))
        {
            Type = StyleValues.Paragraph,
            StyleId = "Footer",
        };

        var header = new Style(
            new StyleName { Val = "header" },
            new BasedOn { Val = "Normal" },
            new StyleParagraphProperties(
                new SpacingBetweenLines { Before = "0", After = "0", Line = "240", LineRule = LineSpacingRuleValues.Auto }))
        {
            Type = StyleValues.Paragraph,
            StyleId = "Header",
        };

        return new Styles(docDefaults, normal, header, footer);
    }

    /// <summary>
    /// The fonts with what Word needs to substitute them where they are not installed (仿宋_GB2312 and
    /// 楷体_GB2312 are missing from current Windows, which has 仿宋 and 楷体): GB2312 charset, family, pitch, panose.
    /// </summary>
    internal static Fonts BuildFontTable()
    {
        static Font F(string name, string altName, string panose, FontFamilyValues family, FontPitchValues pitch) =>
            new(
                new AltName { Val = altName },
                new Panose1Number { Val = panose },
                new FontCharSet { Val = "86" },
                new FontFamily { Val = family },
                new Pitch { Val = pitch })
            { Name = name };

        return new Fonts(
            F(L.BodyFont, "仿宋", "02010609030101010101", FontFamilyValues.Modern, FontPitchValues.Fixed),
            F(L.KaiFont, "楷体", "02010609030101010101", FontFamilyValues.Modern, FontPitchValues.Fixed),
            F(L.HeiFont, "SimHei", "02010609060101010101", FontFamilyValues.Modern, FontPitchValues.Fixed),
            F(L.TitleFont, "宋体", "02000000000000000000", FontFamilyValues.Auto, FontPitchValues.Variable),
            F(L.SongFont, "SimSun", "02010600030101010101", FontFamilyValues.Auto, FontPitchValues.Variable));
    }

    /// <summary>A4 with the GB/T 9704 margins and page numbers; a <paramref name="mark"/> (征求意见稿) heads every page but the first, which shows it in its text.</summary>
    internal static SectionProperties BuildSection(MainDocumentPart main, string? mark)
    {
        var section = new SectionProperties();
        var marked = mark is not null;
        if (mark is not null)
        {
            // The mark stands above the title on page 1; later pages carry it in the header.
            section.Append(new HeaderReference { Type = HeaderFooterValues.Default, Id = AddHeader(main, "rIdHeaderOdd", mark) });
            section.Append(new HeaderReference { Type = HeaderFooterValues.Even, Id = AddHeader(main, "rIdHeaderEven", mark) });
        }

        section.Append(new FooterReference { Type = HeaderFooterValues.Default, Id = AddFooter(main, "rIdFooterOdd", odd: true) });
        section.Append(new FooterReference { Type = HeaderFooterValues.Even, Id = AddFooter(main, "rIdFooterEven", odd: false) });
        if (marked)
        {
            section.Append(new FooterReference { Type = HeaderFooterValues.First, Id = AddFooter(main, "rIdFooterFirst", odd: true) });
        }

        section.Append(new PageSize { Width = (UInt32Value)(uint)L.PageWidth, Height = (UInt32Value)(uint)L.PageHeight });
        section.Append(new PageMargin
        {
            Top = L.MarginTop,
            Bottom = L.MarginBottom,
            Left = (UInt32Value)(uint)L.MarginLeft,
            Right = (UInt32Value)(uint)L.MarginRight,
            Header = (UInt32Value)(uint)L.HeaderDistance,
            Footer = (UInt32Value)(uint)L.FooterDistance,
            Gutter = 0U,
        });
        section.Append(new PageNumberType { Start = 1 });
        if (marked)
        {
            section.Append(new TitlePage());
        }

        section.Append(new DocGrid { Type = DocGridValues.Lines, LinePitch = L.LinePitch });
        return section;
    }

    private static string AddHeader(MainDocumentPart main, string id, string mark)
    {
        var part = main.AddNewPart<HeaderPart>(id);
        part.Header = new Header(new Paragraph(
            new ParagraphProperties
            {
                ParagraphStyleId = new ParagraphStyleId { Val = "Header" },
                Indentation = NoIndent(),
                Justification = new Justification { Val = JustificationValues.Right },
            },
            TextRun(mark, L.HeiFont, L.BodySize, bold: false)));
        part.Header.Save();
        return id;
    }

    /// <summary>"— PAGE —" in 4号宋体; odd pages right-aligned one character in, even pages left-aligned one character in.</summary>
    private static string AddFooter(MainDocumentPart main, string id, bool odd)
    {
        var part = main.AddNewPart<FooterPart>(id);
        var props = new ParagraphProperties
        {
            ParagraphStyleId = new ParagraphStyleId { Val = "Footer" },
            Indentation = odd
                ? new Indentation { Right = "280", FirstLine = "0", FirstLineChars = 0 }
                : new Indentation { Left = "280", FirstLine = "0", FirstLineChars = 0 },
            Justification = new Justification { Val = odd ? JustificationValues.Right : JustificationValues.Left },
        };
        RunProperties Props() => RunProps(L.SongFont, L.PageNumberSize, bold: false);
        part.Footer = new Footer(new Paragraph(
            props,
            new Run(Props(), new Text("— ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(Props(), new FieldChar { FieldCharType = FieldCharValues.Begin }),
            new Run(Props(), new FieldCode(" PAGE ") { Space = SpaceProcessingModeValues.Preserve }),
            new Run(Props(), new FieldChar { FieldCharType = FieldCharValues.Separate }),
            new Run(Props(), new Text("1")),
            new Run(Props(), new FieldChar { FieldCharType = FieldCharValues.End }),
            new Run(Props(), new Text(" —") { Space = SpaceProcessingModeValues.Preserve })));
        part.Footer.Save();
        return id;
    }
}
