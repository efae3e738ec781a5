using Microsoft.Extensions.Localization;
using Workflow.Host.Workflow;

namespace Workflow.Host.Pages;

/// <summary>
/// What a page needs to show a command's refusal in place: pages send the very commands the API sends, through
/// <see cref="CommandPipeline"/>, and say the refusal in the reader's language.
/// </summary>
public static class PageCommand
{
    /// <summary>
    /// The refusal in the reader's language: the text kept under Refused_&lt;code&gt; when there is one, else the
    /// status's general text. The command's own (English) message only reaches readers of the English UI.
    /// </summary>
    public static string Explain(Refusal refusal, IStringLocalizer text)
    {
        if (text["Refused_" + refusal.Code, [.. refusal.Arguments]] is { ResourceNotFound: false } known)
        {
            return known.Value;
        }

        if (EnglishUi)
        {
            return refusal.Message;
        }

        return text["Problem_" + refusal.Status] is { ResourceNotFound: false } general ? general.Value : text["Refused_unknown"].Value;
    }

    public static bool EnglishUi => System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName == "en";
}
