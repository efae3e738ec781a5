using System.Text;
using System.Text.RegularExpressions;

namespace Workflow.Activities.Documents;

/// <summary>
/// The lines of a report title as GB/T 9704-2012 7.3.1 wants them: 2号 characters across the 156 mm type area
/// (<see cref="DocxLayout.TitleLineCapacity"/>), each line a complete word group, the lines in a 梯形 (upper lines
/// not shorter than the one below) or 菱形 (the middle longest) shape. A '\n' in the title is the clerk's break and
/// always wins; a line still too long, or a title without a break, is broken here.
/// <para>
/// There is no dictionary, so break points are scored by what Chinese titles are made of: the organ before 关于,
/// the time (2020年上半年), the verb phrase (加强…, 进一步…), 的 before the document type, the type itself
/// (工作情况报告, 请示, 通知 …), and a short list of set terms and frequent words that are never cut. A break
/// never falls inside a run of Latin letters or digits or a date, before punctuation that closes or pauses, or
/// after an opening bracket. The cheapest layout (break scores plus shape) wins; one more line than needed is
/// tried too, so a good 菱形 can beat a two-line title that has to cut a word.
/// </para>
/// </summary>
public static partial class TitleLines
{
    /// <summary>The title's lines: the clerk's breaks, then chosen breaks where a line is wider than the type area.</summary>
    public static IReadOnlyList<string> Lines(string? title) => Lines(title, DocxLayout.TitleLineCapacity);

    /// <summary>As <see cref="Lines(string?)"/>, with the line width in half-width units (a Chinese character is 2).</summary>
    public static IReadOnlyList<string> Lines(string? title, int capacity)
    {
        var lines = new List<string>();
        foreach (var marked in Marked(title))
        {
            lines.AddRange(Width(marked) <= capacity ? [marked] : Break(marked, capacity));
        }

        return lines;
    }

    /// <summary>The title on one line (file properties, plain text, Markdown): the clerk's breaks removed.</summary>
    public static string Joined(string? title)
    {
        var sb = new StringBuilder();
        foreach (var line in Marked(title))
        {
            // Chinese runs on without a space; two Latin words a break separated keep one.
            if (sb.Length > 0 && IsLatin(sb[^1]) && IsLatin(line[0]))
            {
                sb.Append(' ');
            }

            sb.Append(line);
        }

        return sb.ToString();
    }

    /// <summary>Width in half-width units: ASCII counts 1, everything else (Chinese, full-width punctuation) 2.</summary>
    public static int Width(string text) => text.Sum(c => c < 0x80 ? 1 : 2);

    private static IEnumerable<string> Marked(string? title) =>
        (title ?? "").Replace("\r\n", "\n", StringComparison.Ordinal).Replace('\r', '\n').Split('\n')
            .Select(Normalize).Where(l => l.Length > 0);

    /// <summary>Trimmed (full-width spaces too), inner runs of white space as one space.</summary>
    private static string Normalize(string line) => Spaces().Replace(line, " ").Trim(' ', '\t', '\u3000');

    // Penalties of a break before position p (lower is better).
    private const double Unknown = 20;        // no clue: may cut a word
    private const double InsideWord = 60;     // inside a known word
    private const double Never = 1000;        // inside a Latin/digit run or a date, before closing punctuation …
    private const double InsideBrackets = 20; // added inside 《》, （）, “” …
    private const double AfterVerb = 12;      // a verb parted from its object (关于做好 / 2021年…)

    // Shape.
    private const double BalanceWeight = 0.3; // per squared character of a line's distance from the mean
    private const double ExtraLine = 3;       // one line more than the width needs
    private const double RisingToLast = 0.25; // per character the last line is longer than the one above (正梯形)
    private const double RisingEarly = 0.2;   // per character a line rises towards a 菱形 middle
    private const double Hourglass = 1.0;     // per character a line rises again after the lines narrowed

    /// <summary>Breaks one line wider than <paramref name="capacity"/> into the best-scoring lines.</summary>
    public static IReadOnlyList<string> Break(string line, int capacity)
    {
        var s = Normalize(line);
        var total = Width(s);
        if (total <= capacity || s.Length < 2)
        {
            return s.Length == 0 ? [] : [s];
        }

        var penalty = Penalties(s);
        var minLines = (total + capacity - 1) / capacity;
        List<string>? best = null;
        var bestCost = double.PositiveInfinity;
        for (var n = minLines; n <= s.Length && (best is null || n <= minLines + 1); n++)
        {
            var (cost, lines) = Layout(s, penalty, n, capacity);
            cost += (n - minLines) * ExtraLine;
            if (lines is not null && cost < bestCost)
            {
                (best, bestCost) = (lines, cost);
            }
        }

        return best ?? [s];
    }

    /// <summary>The cheapest layout of <paramref name="s"/> in exactly <paramref name="n"/> lines, or null lines when none fits.</summary>
    private static (double Cost, List<string>? Lines) Layout(string s, double[] penalty, int n, int capacity)
    {
        var len = s.Length;
        var target = Width(s) / 2.0 / n;
        var width = new int[len + 1, len + 1];
        for (var i = 0; i < len; i++)
        {
            for (var j = i + 1; j <= len; j++)
            {
                width[i, j] = Width(s[i..j].Trim(' '));
            }
        }

        // cost[k][i, j, f]: s[0..j) in k+1 lines, the last one s[i..j); f = 1 once a line was narrower than the one above.
        var cost = new double[n][,,];
        var from = new int[n][,,];
        for (var k = 0; k < n; k++)
        {
            cost[k] = new double[len + 1, len + 1, 2];
            from[k] = new int[len + 1, len + 1, 2];
            for (var i = 0; i <= len; i++)
            {
                for (var j = 0; j <= len; j++)
                {
                    cost[k][i, j, 0] = cost[k][i, j, 1] = double.PositiveInfinity;
                }
            }
        }

        double LineCost(int i, int j) => BalanceWeight * Math.Pow(width[i, j] / 2.0 - target, 2) + (j < len ? penalty[j] : 0);
        bool Fits(int i, int j) => width[i, j] > 0 && width[i, j] <= capacity;

        for (var j = 1; j <= len; j++)
        {
            if (Fits(0, j) && (j < len) == (n > 1))
            {
                cost[0][0, j, 0] = LineCost(0, j);
            }
        }

        for (var k = 1; k < n; k++)
        {
            var last = k == n - 1;
            for (var i = 0; i < len; i++)
            {
                for (var j = i + 1; j < len; j++)
                {
                    for (var f = 0; f < 2; f++)
                    {
                        var before = cost[k - 1][i, j, f];
                        if (double.IsPositiveInfinity(before))
                        {
                            continue;
                        }

                        for (var m = j + 1; m <= len; m++)
                        {
                            if (!Fits(j, m))
                            {
                                if (width[j, m] > capacity)
                                {
                                    break;
                                }

                                continue;
                            }

                            if (last != (m == len))
                            {
                                continue;
                            }

                            var (above, here) = (width[i, j] / 2.0, width[j, m] / 2.0);
                            var rise = Math.Max(0, here - above) * (f == 1 ? Hourglass : last ? RisingToLast : RisingEarly);
                            var nf = f == 1 || here < above ? 1 : 0;
                            var c = before + LineCost(j, m) + rise;
                            if (c < cost[k][j, m, nf])
                            {
                                cost[k][j, m, nf] = c;
                                from[k][j, m, nf] = i * 2 + f;
                            }
                        }
                    }
                }
            }
        }

        var (bestI, bestF, bestCost) = (-1, 0, double.PositiveInfinity);
        for (var i = 0; i < len; i++)
        {
            for (var f = 0; f < 2; f++)
            {
                if (cost[n - 1][i, len, f] < bestCost)
                {
                    (bestI, bestF, bestCost) = (i, f, cost[n - 1][i, len, f]);
                }
            }
        }

        if (bestI < 0)
        {
            return (double.PositiveInfinity, null);
        }

        var lines = new List<string>();
        var (start, end, flag) = (bestI, len, bestF);
        for (var k = n - 1; k >= 0; k--)
        {
            lines.Add(s[start..end].Trim(' '));
            if (k > 0)
            {
                var back = from[k][start, end, flag];
                (start, end, flag) = (back / 2, start, back % 2);
            }
        }

        lines.Reverse();
        return (bestCost, lines);
    }

    /// <summary>
    /// Document types that end a title, longest first; the break goes before the longest one present
    /// (…加强党的建设 / 工作情况的报告), or before a shorter one inside it.
    /// </summary>
    private static readonly string[] Tails =
    [
        "工作情况的报告", "工作情况报告", "情况的报告", "情况报告", "工作报告", "工作总结", "工作要点", "工作方案", "实施方案",
        "实施意见", "指导意见", "实施细则", "管理办法", "报告", "请示", "意见", "通知", "通报", "方案", "决定", "总结", "规划",
        "计划", "办法", "规定", "细则", "批复", "纪要", "讲话", "函",
    ];

    /// <summary>Verbs and adverbs that open the subject of a title: a break before them is good (关于 / 进一步加强…).</summary>
    private static readonly string[] PhraseOpeners =
    [
        "进一步", "加强", "推进", "做好", "开展", "深化", "落实", "贯彻", "印发", "转发", "切实", "全面", "建立", "健全", "完善",
        "提高", "提升", "促进", "实施", "召开", "表彰", "认真", "扎实", "持续", "大力", "坚持", "推动", "巩固", "规范", "调整",
        "成立", "设立", "命名", "开好", "抓好", "加快", "支持", "深入", "学习",
    ];

    /// <summary>Words of scope that start a noun group: 全县基层党组织… (a break before them is good).</summary>
    private static readonly string[] ScopeWords = ["全县", "全市", "全省", "全国", "全区", "全镇", "全乡", "全体", "各级", "各地", "我县", "我市"];

    /// <summary>
    /// Set terms and frequent words of county reports that are never cut; where two of them meet, a break is
    /// likely a word boundary. Not a dictionary: a break elsewhere is merely unknown, never forbidden.
    /// </summary>
    private static readonly string[] Words =
    [
        "习近平新时代中国特色社会主义思想", "中国特色社会主义", "中国共产党", "全面从严治党", "党风廉政建设", "基层党组织",
        "党的建设", "党的领导", "党的十九大", "党的二十大", "党的十九届", "党的二十届", "中全会", "意识形态", "乡村振兴", "脱贫攻坚", "人民政府", "委员会", "办公室", "组织部", "宣传部", "统战部",
        "政法委", "纪委监委", "上半年", "下半年", "年度", "季度", "工作", "情况", "建设", "发展", "改革", "管理", "机制", "制度",
        "活动", "会议", "精神", "问题", "整改", "专项", "治理", "组织", "党员", "干部", "群众", "基层", "党建", "疫情", "防控",
        "安全", "生产", "经济", "社会", "文化", "教育", "学习", "主题", "责任", "考核", "监督", "巡察", "队伍", "作风", "纪律",
        "领导", "班子", "民主", "生活会", "党委", "党组", "支部", "县委", "市委", "省委", "中共", "关于",
    ];

    private const string Closers = "，。、；：？！）》」』〕】”’…—·%％,.;:?!)]}%\"'";
    private const string Openers = "（《「『〔【“‘([{";
    private const string BracketClosers = "）》」』〕】”’)]}";
    private const string Pauses = "，、；：,;:";
    private const string Conjunctions = "和与及并暨";
    private const string NumberUnits = "年月日号个名万亿余期届次项条批%％";

    /// <summary>The penalty of a break before each position 1…Length-1 (index 0 and Length unused).</summary>
    private static double[] Penalties(string s)
    {
        var len = s.Length;
        var good = new double[len + 1];
        Array.Fill(good, Unknown);
        var bad = new double[len + 1];

        void Good(int p, double v)
        {
            if (p > 0 && p < len)
            {
                good[p] = Math.Min(good[p], v);
            }
        }

        void Bad(int p, double v)
        {
            if (p > 0 && p < len)
            {
                bad[p] = Math.Max(bad[p], v);
            }
        }

        void Inside(int start, int length, double v)
        {
            for (var p = start + 1; p < start + length; p++)
            {
                Bad(p, v);
            }
        }

        // Words that meet: a likely boundary; a word's own inside: never a good place.
        var starts = new bool[len + 1];
        var ends = new bool[len + 1];
        foreach (var word in Words.Concat(Tails).Concat(PhraseOpeners).Concat(ScopeWords))
        {
            foreach (var at in Occurrences(s, word))
            {
                starts[at] = true;
                ends[at + word.Length] = true;
                Inside(at, word.Length, InsideWord);
            }
        }

        for (var p = 1; p < len; p++)
        {
            if (starts[p] && ends[p])
            {
                Good(p, 6);
            }
            else if (starts[p] || ends[p])
            {
                Good(p, 10);
            }
        }

        // The organ before 关于, the subject after it.
        foreach (var at in Occurrences(s, "关于"))
        {
            Good(at, 1);
            Good(at + 2, 0);
        }

        // Before the document type at the end: the longest present first.
        var tails = Tails.Where(t => s.Length > t.Length && s.EndsWith(t, StringComparison.Ordinal)).ToList();
        for (var i = 0; i < tails.Count; i++)
        {
            Good(len - tails[i].Length, i == 0 ? 1 : 2);
        }

        foreach (var opener in PhraseOpeners)
        {
            foreach (var at in Occurrences(s, opener))
            {
                // Not between two verbs (进一步|加强, 学习|贯彻) or after a conjunction (加强和|改进).
                var afterVerb = PhraseOpeners.Any(v => at >= v.Length && string.CompareOrdinal(s, at - v.Length, v, 0, v.Length) == 0);
                if (!afterVerb && (at == 0 || !Conjunctions.Contains(s[at - 1], StringComparison.Ordinal) && s[at - 1] != '、'))
                {
                    Good(at, 2);
                }

                // The verb stays with its object (落实 / 全面从严治党…) or its verb (进一步 / 加强), unless the object is a
                // bracketed name on a line of its own (印发 / 《…》).
                var end = at + opener.Length;
                if (end < len && !Openers.Contains(s[end], StringComparison.Ordinal))
                {
                    Bad(end, AfterVerb);
                }
            }
        }

        foreach (var scope in ScopeWords)
        {
            foreach (var at in Occurrences(s, scope))
            {
                Good(at, 2);
            }
        }

        // Times: 2020年上半年, 2020年度, 2021年第一季度, 上半年 — never cut, a good break after, a fair one before.
        foreach (Match m in TimeExpression().Matches(s))
        {
            Inside(m.Index, m.Length, Never);
            Good(m.Index + m.Length, 1);
            Good(m.Index, 2);
        }

        for (var p = 1; p < len; p++)
        {
            char a = s[p - 1], b = s[p];
            if (b == '的')
            {
                Good(p, tails.Any(t => len - t.Length == p + 1) ? 2 : 3);
            }

            if (a == '的')
            {
                Good(p, 2);
            }

            if (Conjunctions.Contains(b, StringComparison.Ordinal))
            {
                Good(p, b == '暨' ? 2 : 5);
            }

            if (Conjunctions.Contains(a, StringComparison.Ordinal) && a != '暨')
            {
                Good(p, 6);
            }

            if (Pauses.Contains(a, StringComparison.Ordinal))
            {
                Good(p, a == '、' ? 4 : 1); // 、 parts the items of one list
            }
            else if (Closers.Contains(a, StringComparison.Ordinal))
            {
                Good(p, 2);
            }

            if (Openers.Contains(b, StringComparison.Ordinal))
            {
                Good(p, 2);
            }

            if (b == ' ')
            {
                Good(p, 0); // 中共X县委 X县人民政府: the space itself is the break
            }

            // Latin letters and digits: a run is one word, its number unit (2020年, 5个, 30%) belongs to it.
            if (IsLatin(a) && IsLatin(b))
            {
                Bad(p, Never);
            }
            else if (!IsLatin(a) && IsLatin(b) && a != ' ')
            {
                Good(p, 3);
            }
            else if (IsLatin(a) && !IsLatin(b))
            {
                Good(p, 5);
                if (NumberUnits.Contains(b, StringComparison.Ordinal))
                {
                    Bad(p, Never);
                }
            }

            if (Closers.Contains(b, StringComparison.Ordinal) || Openers.Contains(a, StringComparison.Ordinal) || a == ' ')
            {
                Bad(p, Never);
            }
        }

        var penalty = new double[len + 1];
        var depth = 0;
        for (var p = 1; p < len; p++)
        {
            if (Openers.Contains(s[p - 1], StringComparison.Ordinal))
            {
                depth++;
            }
            else if (BracketClosers.Contains(s[p - 1], StringComparison.Ordinal))
            {
                depth = Math.Max(0, depth - 1);
            }

            penalty[p] = Math.Max(good[p], bad[p]) + (depth > 0 ? InsideBrackets : 0);
        }

        return penalty;
    }

    private static IEnumerable<int> Occurrences(string s, string word)
    {
        for (var at = s.IndexOf(word, StringComparison.Ordinal); at >= 0; at = s.IndexOf(word, at + 1, StringComparison.Ordinal))
        {
            yield return at;
        }
    }

    /// <summary>ASCII or full-width letters and digits, and the marks that hold a number together (2.5, 10-12).</summary>
    private static bool IsLatin(char c) =>
        char.IsAsciiLetterOrDigit(c) || c is (>= '０' and <= '９') or (>= 'Ａ' and <= 'Ｚ') or (>= 'ａ' and <= 'ｚ') or '.' or '-' or '+' or '/' or '_';

    [GeneratedRegex(@"[0-9０-９]{2,4}年(?:度|上半年|下半年|第?[一二三四1-4１-４]季度|[0-9０-９]{1,2}月(?:[0-9０-９]{1,2}日)?)?|上半年|下半年|第[一二三四]季度")]
    private static partial Regex TimeExpression();

    [GeneratedRegex(@"[ \t\u3000]+")]
    private static partial Regex Spaces();
}
