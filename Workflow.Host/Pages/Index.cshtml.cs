using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.RazorPages;

namespace Workflow.Host.Pages;

/// <summary>The home page is the user's work.</summary>
public sealed class IndexModel : PageModel
{
    public IActionResult OnGet() => Redirect("/inbox");
}
