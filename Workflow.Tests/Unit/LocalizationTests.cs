using System.Globalization;
using System.Resources;
using System.Text.RegularExpressions;
using Workflow.Activities.Engine;

namespace Workflow.Tests.Unit;

/// <summary>
/// The pages' texts (Resources/SharedResource.resx in Chinese, .en.resx in English): a key missing from either file
/// shows its bare name on the page, a placeholder missing from one translation loses a number or a name, and a
/// refusal without a text falls back to the API's English message in the Chinese UI.
/// </summary>
public sealed partial class LocalizationTests
{
    private static readonly ResourceManager Texts = new("Workflow.Host.Resources.SharedResource", typeof(Workflow.Host.SharedResource).Assembly);

    private static Dictionary<string, string> Read(string culture) =>
        Texts.GetResourceSet(CultureInfo.GetCultureInfo(culture), createIfNotExists: true, tryParents: false)!
            .Cast<System.Collections.DictionaryEntry>()
            .ToDictionary(e => (string)e.Key, e => (string)e.Value!);

    private static Dictionary<string, string> Chinese => Read(CultureInfo.InvariantCulture.Name);

    private static Dictionary<string, string> English => Read("en");

    [Fact]
    public void Both_languages_have_the_same_texts_and_none_is_empty()
    {
        var zh = Chinese;
        var en = English;
        Assert.True(zh.Count > 100, $"only {zh.Count} Chinese texts were found; is the resource name right?");
        Assert.Empty(zh.Keys.Except(en.Keys));
        Assert.Empty(en.Keys.Except(zh.Keys));
        Assert.Empty(zh.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key));
        Assert.Empty(en.Where(kv => string.IsNullOrWhiteSpace(kv.Value)).Select(kv => kv.Key));
        Assert.Contains(zh.Values, v => v.Any(c => c is >= '\u4e00' and <= '\u9fff'));
    }

    [Fact]
    public void Each_translation_fills_in_the_same_placeholders()
    {
        var en = English;
        var differing = Chinese
            .Where(kv => !Placeholders(kv.Value).SetEquals(Placeholders(en[kv.Key])))
            .Select(kv => $"{kv.Key}: zh {{{string.Join(",", Placeholders(kv.Value))}}} en {{{string.Join(",", Placeholders(en[kv.Key]))}}}");
        Assert.Empty(differing);
    }

    [Fact]
    public void Every_refusal_of_the_engine_has_a_text_in_both_languages()
    {
        var zh = Chinese;
        var en = English;
        foreach (var code in Enum.GetValues<RejectionCode>())
        {
            var key = "Refused_" + Workflow.Host.Workflow.Refusal.From(new Rejection(code, "-")).Code;
            Assert.True(zh.ContainsKey(key) && en.ContainsKey(key), $"{key} is missing");
        }
    }

    [Fact]
    public void Every_outline_warning_can_be_said_in_both_languages_with_all_its_values()
    {
        var zh = Chinese;
        var en = English;
        foreach (var (template, english) in Workflow.Activities.Documents.OutlineWarningTexts.English)
        {
            var key = "OutlineWarning_" + template;
            Assert.True(zh.ContainsKey(key) && en.ContainsKey(key), $"{key} is missing");
            Assert.True(Placeholders(english).SetEquals(Placeholders(zh[key])), $"{key} does not use the values {{{string.Join(",", Placeholders(english))}}}");
        }
    }

    [Fact]
    public void Every_text_a_page_asks_for_by_name_exists()
    {
        var root = new DirectoryInfo(AppContext.BaseDirectory);
        while (root is not null && !File.Exists(Path.Combine(root.FullName, "Workflow.slnx")))
        {
            root = root.Parent;
        }

        Assert.NotNull(root);
        var host = Path.Combine(root.FullName, "Workflow.Host");
        var sources = Directory.EnumerateFiles(host, "*.cshtml", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(host, "Pages"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal));
        var used = sources
            .SelectMany(f => TextKey().Matches(File.ReadAllText(f)).Select(m => (File: Path.GetFileName(f), Key: m.Groups[1].Value)))
            .ToList();
        Assert.True(used.Count > 100, $"only {used.Count} uses of texts were found in {host}");
        var zh = Chinese;
        Assert.Empty(used.Where(u => !zh.ContainsKey(u.Key)).Select(u => $"{u.File}: {u.Key}").Distinct());
    }

    private static HashSet<string> Placeholders(string text) => [.. Placeholder().Matches(text).Select(m => m.Groups[1].Value)];

    // {0}, {1:N0} … but not the doubled braces that stand for a literal brace.
    [GeneratedRegex(@"(?<!\{)\{(\d+)(?:[:,][^}]*)?\}")]
    private static partial Regex Placeholder();

    // T["Key"], text["Key", arg] …: the localizer called with a literal name (names built at run time are not seen).
    [GeneratedRegex(@"\b(?:T|text|Text)\[""([A-Za-z0-9_.\-]+)""\s*[\],]")]
    private static partial Regex TextKey();
}
