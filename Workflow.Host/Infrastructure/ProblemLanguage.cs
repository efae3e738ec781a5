using Microsoft.Extensions.Localization;
using Microsoft.Net.Http.Headers;
using Workflow.Host.Workflow;

namespace Workflow.Host.Infrastructure;

/// <summary>
/// Puts an API problem's <c>detail</c> in the language the client asks for with Accept-Language. English stays the
/// default, as the API has always answered (clients and scripts parse it); zh asks for the texts the pages show,
/// kept under Refused_&lt;code&gt; (or Problem_&lt;status&gt; for a problem without a code) in SharedResource.
/// </summary>
public static class ProblemLanguage
{
    private static readonly System.Globalization.CultureInfo Chinese = System.Globalization.CultureInfo.GetCultureInfo("zh-CN");

    public static void Apply(ProblemDetailsContext context)
    {
        if (!WantsChinese(context.HttpContext.Request))
        {
            return;
        }

        var problem = context.ProblemDetails;
        var text = context.HttpContext.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
        var code = problem.Extensions.TryGetValue("code", out var c) ? c?.ToString() : null;
        var previous = System.Globalization.CultureInfo.CurrentUICulture;
        System.Globalization.CultureInfo.CurrentUICulture = Chinese;
        try
        {
            var localized = code is not null ? text["Refused_" + code, Refusal.ArgumentsOf(problem)] : text["Problem_" + problem.Status];
            if (localized.ResourceNotFound && code is not null)
            {
                localized = text["Problem_" + problem.Status];
            }

            problem.Detail = localized.ResourceNotFound ? text["Refused_unknown"].Value : localized.Value;
        }
        finally
        {
            System.Globalization.CultureInfo.CurrentUICulture = previous;
        }
    }

    /// <summary>The first language the client names (by quality) that we speak decides; none of ours means English.</summary>
    public static bool WantsChinese(HttpRequest request)
    {
        if (!StringWithQualityHeaderValue.TryParseList(request.Headers.AcceptLanguage, out var languages))
        {
            return false;
        }

        foreach (var language in languages.Where(l => (l.Quality ?? 1) > 0).OrderByDescending(l => l.Quality ?? 1))
        {
            var tag = language.Value.Value ?? "";
            if (tag.StartsWith("zh", StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }

            if (tag.StartsWith("en", StringComparison.OrdinalIgnoreCase))
            {
                return false;
            }
        }

        return false;
    }
}
