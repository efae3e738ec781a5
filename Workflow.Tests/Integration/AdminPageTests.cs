using Workflow.Activities.Documents;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Workflow.Tests.Integration;

using static PageClient;

/// <summary>
/// The administration pages over HTTP as the office clerk (admin) uses them: accounts, departments, section
/// assignment and import, each change taking effect at once and leaving an audit entry; nobody else gets in.
/// </summary>
public sealed partial class AdminPageTests(WorkflowApp app) : IClassFixture<WorkflowApp>
{
    private const string Outline = "一、总体情况\n内容……\n二、存在问题\n（一）问题一\n内容XX%……";

    private static CancellationToken Ct => TestContext.Current.CancellationToken;

    [Fact]
    public async Task An_admin_creates_a_user_who_can_then_sign_in()
    {
        var admin = await Admin();
        var page = await Page(admin, "/admin/users");

        var after = await Post(admin, page, "/admin/users?handler=create", NewUser("li.new", "李新"));

        Assert.Contains("用户已创建", after);
        Assert.Contains("李新", after);
        var inbox = await SignIn(app.Browser(), "li.new");
        Assert.Contains("李新", inbox);
        Assert.Equal(1, AuditCount("user.create", "li.new"));
        Assert.Equal(0, app.Count("AuditEntries", $"\"Data\" LIKE '%{WorkflowApp.Password}%'"));
    }

    [Fact]
    public async Task A_password_the_rules_refuse_is_explained_in_the_page_and_creates_nobody()
    {
        var admin = await Admin();
        var page = await Page(admin, "/admin/users");
        var fields = NewUser("weak.user", "弱密码");
        fields["password"] = "short";

        var response = await PostRaw(admin, page, "/admin/users?handler=create", fields);
        var html = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.UnprocessableEntity, response.StatusCode);
        Assert.Contains("密码至少需要 8 位", html);
        Assert.Equal(0, app.Count("AspNetUsers", "\"UserName\" = 'weak.user'"));
    }

    [Fact]
    public async Task Disabling_a_user_ends_their_session_at_once_and_enabling_lets_them_back()
    {
        var admin = await Admin();
        await Post(admin, await Page(admin, "/admin/users"), "/admin/users?handler=create", NewUser("wang.gone", "王离"));
        var user = app.Browser();
        await SignIn(user, "wang.gone");
        var id = UserId("wang.gone");

        var account = await Page(admin, $"/admin/users/{id}");
        var after = await Post(admin, account, $"/admin/users/{id}?handler=disable", []);

        Assert.Contains("已停用", after);
        Assert.EndsWith("/login", (await user.GetAsync("/inbox", Ct)).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login("wang.gone", WorkflowApp.Password)).StatusCode);
        Assert.Equal(1, AuditCount("user.disable", "wang.gone"));

        await Post(admin, after, $"/admin/users/{id}?handler=enable", []);
        await SignIn(app.Browser(), "wang.gone");
        Assert.Equal(1, AuditCount("user.enable", "wang.gone"));
    }

    [Fact]
    public async Task A_password_reset_ends_the_sessions_and_only_the_new_password_works()
    {
        var admin = await Admin();
        await Post(admin, await Page(admin, "/admin/users"), "/admin/users?handler=create", NewUser("zhao.reset", "赵重置"));
        var user = app.Browser();
        await SignIn(user, "zhao.reset");
        var id = UserId("zhao.reset");

        var after = await Post(admin, await Page(admin, $"/admin/users/{id}"), $"/admin/users/{id}?handler=password", new() { ["password"] = "Fresh-Pass-2026!" });

        Assert.Contains("密码已重置", after);
        Assert.EndsWith("/login", (await user.GetAsync("/inbox", Ct)).RequestMessage!.RequestUri!.AbsolutePath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await Login("zhao.reset", WorkflowApp.Password)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await Login("zhao.reset", "Fresh-Pass-2026!")).StatusCode);
        Assert.Equal(1, AuditCount("user.password-reset", "zhao.reset"));
        Assert.Equal(0, app.Count("AuditEntries", "\"Data\" LIKE '%Fresh-Pass%'"));
    }

    [Fact]
    public async Task An_account_an_earlier_release_locked_signs_in_and_nothing_shows_or_records_a_lock()
    {
        var admin = await Admin();
        await Post(admin, await Page(admin, "/admin/users"), "/admin/users?handler=create", NewUser("qian.locked", "钱旧锁"));
        var id = UserId("qian.locked");
        // What the release that locked an account after five wrong passwords left in the database.
        using (var db = app.OpenDatabase())
        {
            using var cmd = db.CreateCommand();
            cmd.CommandText = "UPDATE \"AspNetUsers\" SET \"LockoutEnabled\" = 1, \"AccessFailedCount\" = 5, \"LockoutEnd\" = $end WHERE \"Id\" = $id";
            cmd.Parameters.AddWithValue("$end", DateTimeOffset.UtcNow.AddYears(1).UtcTicks);
            cmd.Parameters.AddWithValue("$id", id);
            Assert.Equal(1, cmd.ExecuteNonQuery());
        }

        Assert.Contains("钱旧锁", await SignIn(app.Browser(), "qian.locked"));
        Assert.Equal(HttpStatusCode.OK, (await Login("qian.locked", WorkflowApp.Password)).StatusCode);

        var list = await Page(admin, "/admin/users");
        var row = Regex.Match(list, "<tr data-user=\"qian.locked\">(.*?)</tr>", RegexOptions.Singleline).Groups[1].Value;
        Assert.Contains("正常", row);
        Assert.DoesNotContain("已锁定", list);
        var account = await Page(admin, $"/admin/users/{id}");
        Assert.Contains("正常", Regex.Match(account, "data-testid=\"user-state\">(.*?)</p>", RegexOptions.Singleline).Groups[1].Value);
        Assert.DoesNotContain("已锁定", account);

        await Post(admin, account, $"/admin/users/{id}?handler=password", new() { ["password"] = "Fresh-Pass-2026!" });
        var data = app.WithDb(db => db.AuditEntries.Single(e => e.Action == "user.password-reset" && e.Data.Contains("qian.locked")).Data);
        Assert.Equal(["user", "userId"], JsonDocument.Parse(data).RootElement.EnumerateObject().Select(p => p.Name).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task Changing_roles_and_department_takes_effect_at_once_and_is_audited_with_before_and_after()
    {
        var admin = await Admin();
        await Post(admin, await Page(admin, "/admin/users"), "/admin/users?handler=create", NewUser("sun.move", "孙调动"));
        var user = app.Browser();
        await SignIn(user, "sun.move");
        Assert.Equal(HttpStatusCode.Forbidden, (await user.GetAsync("/admin", Ct)).StatusCode);
        var id = UserId("sun.move");

        await Post(admin, await Page(admin, $"/admin/users/{id}"), $"/admin/users/{id}?handler=update", new() { ["displayName"] = "孙调动", ["department"] = "jiwei", ["roles"] = "admin" });

        Assert.Contains("纪委", await Page(user, "/admin"));
        var data = app.WithDb(db => db.AuditEntries.Single(e => e.Action == "user.update" && e.Data.Contains("sun.move")).Data);
        var facts = JsonDocument.Parse(data).RootElement;
        Assert.Equal("zuzhi", facts.GetProperty("before").GetProperty("department").GetString());
        Assert.Equal("jiwei", facts.GetProperty("after").GetProperty("department").GetString());
        Assert.Equal("admin", facts.GetProperty("after").GetProperty("roles")[0].GetString());
    }

    [Fact]
    public async Task An_admin_cannot_disable_themselves_or_drop_their_own_admin_role()
    {
        var admin = await Admin();
        var id = UserId("admin");
        var account = await Page(admin, $"/admin/users/{id}");

        var disable = await PostRaw(admin, account, $"/admin/users/{id}?handler=disable", []);
        Assert.Equal(HttpStatusCode.Conflict, disable.StatusCode);
        Assert.Contains("不能停用自己的账号", await disable.Content.ReadAsStringAsync(Ct));

        var demote = await PostRaw(admin, account, $"/admin/users/{id}?handler=update", new() { ["displayName"] = "县委办公室管理员", ["department"] = "bangongshi", ["roles"] = "auditor" });
        Assert.Equal(HttpStatusCode.Conflict, demote.StatusCode);
        Assert.Contains("不能取消自己的管理员角色", await demote.Content.ReadAsStringAsync(Ct));

        await Page(admin, "/admin/users");
        Assert.Equal(0, AuditCount("user.disable", "\"admin\""));
    }

    [Fact]
    public async Task Everyone_but_an_admin_gets_403_on_every_admin_page_and_post()
    {
        var report = await Api.CreateReport(await app.As("admin"), "权限测试报告");
        var author = app.Browser();
        var inbox = await SignIn(author, "zuzhi.author");
        var adminId = UserId("admin");
        string[] pages = ["/admin", "/admin/users", $"/admin/users/{adminId}", "/admin/departments", "/admin/import", $"/admin/reports/{report}/assignment"];
        foreach (var path in pages)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await author.GetAsync(path, Ct)).StatusCode);
        }

        (string Path, Dictionary<string, string> Fields)[] posts =
        [
            ("/admin/users?handler=create", NewUser("sneaky", "偷偷")),
            ($"/admin/users/{adminId}?handler=disable", []),
            ($"/admin/users/{adminId}?handler=password", new() { ["password"] = "Sneaky-2026!" }),
            ($"/admin/users/{adminId}?handler=update", new() { ["displayName"] = "x", ["roles"] = "author" }),
            ("/admin/departments?handler=create", new() { ["code"] = "sneaky", ["name"] = "偷偷" }),
            ($"/admin/reports/{report}/assignment", new() { ["section"] = Guid.NewGuid().ToString(), ["department"] = "zuzhi", ["author"] = "zuzhi.author" }),
            ("/admin/import?handler=confirm", new() { ["target"] = "new", ["title"] = "偷偷", ["plan"] = "{}" }),
        ];
        foreach (var (path, fields) in posts)
        {
            Assert.Equal(HttpStatusCode.Forbidden, (await PostRaw(author, inbox, path, fields)).StatusCode);
        }

        Assert.Equal(0, app.Count("AspNetUsers", "\"UserName\" = 'sneaky'"));
        Assert.Equal(0, app.Count("Departments", "\"Code\" = 'sneaky'"));
        await SignIn(app.Browser(), "admin");
    }

    [Fact]
    public async Task A_department_created_and_renamed_shows_up_and_is_audited()
    {
        var admin = await Admin();
        var created = await Post(admin, await Page(admin, "/admin/departments"), "/admin/departments?handler=create", new() { ["code"] = "tongzhan", ["name"] = "统战部" });
        Assert.Contains("统战部", created);
        Assert.Contains("tongzhan", created);

        var duplicate = await PostRaw(admin, created, "/admin/departments?handler=create", new() { ["code"] = "tongzhan", ["name"] = "又一个" });
        Assert.Equal(HttpStatusCode.Conflict, duplicate.StatusCode);
        Assert.Contains("该部门代码已被使用", await duplicate.Content.ReadAsStringAsync(Ct));
        var invalid = await PostRaw(admin, created, "/admin/departments?handler=create", new() { ["code"] = "统战", ["name"] = "统战部" });
        Assert.Equal(HttpStatusCode.BadRequest, invalid.StatusCode);

        var id = app.WithDb(db => db.Departments.Single(d => d.Code == "tongzhan").Id);
        var renamed = await Post(admin, created, "/admin/departments?handler=rename", new() { ["id"] = id.ToString(), ["name"] = "县委统战部" });
        Assert.Contains("县委统战部", renamed);
        Assert.Contains("县委统战部", await (await app.As("admin")).GetStringAsync("/api/departments", Ct));
        Assert.Equal(1, AuditCount("department.create", "tongzhan"));
        Assert.Equal(1, AuditCount("department.rename", "县委统战部"));
    }

    [Fact]
    public async Task The_assignment_page_moves_a_draft_section_and_refuses_to_move_one_under_review()
    {
        var api = await app.As("admin");
        var report = await Api.CreateReport(api, "分工测试报告");
        var draft = await Api.AddSection(api, report, "第一节");
        var reviewed = await Api.AddSection(api, report, "第二节");
        await Api.EditAndSubmit(await app.As("zuzhi.author"), reviewed, "一是深入组织动员，发展党员12名。");
        var admin = await Admin();
        var page = await Page(admin, $"/admin/reports/{report}/assignment");
        Assert.Contains("第一节", page);
        Assert.Contains("待部门审核", page);

        var moved = await Post(admin, page, $"/admin/reports/{report}/assignment", new() { ["section"] = draft.ToString(), ["department"] = "jiwei", ["author"] = "jiwei.author" });

        Assert.Contains("分工已保存", moved);
        var section = await Api.Read<JsonElement>(await api.GetAsync($"/api/sections/{draft}", Ct));
        var node = section.GetProperty("section");
        Assert.Equal("jiwei", node.GetProperty("department").GetProperty("code").GetString());
        Assert.Equal("jiwei.author", node.GetProperty("author").GetProperty("userName").GetString());

        var refused = await PostRaw(admin, moved, $"/admin/reports/{report}/assignment", new() { ["section"] = reviewed.ToString(), ["department"] = "xuanchuan", ["author"] = "xuanchuan.author" });
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("该章节正在审核中", await refused.Content.ReadAsStringAsync(Ct));
        var still = await Api.Read<JsonElement>(await api.GetAsync($"/api/sections/{reviewed}", Ct));
        Assert.Equal("zuzhi", still.GetProperty("section").GetProperty("department").GetProperty("code").GetString());
    }

    [Fact]
    public async Task The_assignment_page_offers_only_authors_and_explains_a_refusal_in_chinese()
    {
        var api = await app.As("admin");
        var report = await Api.CreateReport(api, "分工人选测试");
        var done = await Api.AddSection(api, report, "第一节");
        var version = await Api.EditAndSubmit(await app.As("zuzhi.author"), done, "一是深入组织动员，发展党员12名。");
        await Api.Expect(await Api.Decide(await app.As("zuzhi.head"), done, "approve", version, "同意。"), HttpStatusCode.OK);
        await Api.Expect(await Api.Decide(await app.As("committee.secretary"), done, "approve", version, "同意。"), HttpStatusCode.OK);
        var admin = await Admin();
        var page = await Page(admin, $"/admin/reports/{report}/assignment");

        Assert.Contains("value=\"zuzhi.author\"", page);
        foreach (var notAnAuthor in new[] { "zuzhi.head", "committee.secretary", "auditor", "admin" })
        {
            Assert.DoesNotContain($"value=\"{notAnAuthor}\"", page);
        }

        var refused = await PostRaw(admin, page, $"/admin/reports/{report}/assignment", new() { ["section"] = done.ToString(), ["department"] = "zuzhi", ["author"] = "zuzhi.author" });
        var html = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("已全部审核通过", html);
        Assert.DoesNotContain("approved at every stage", html);
    }

    [Fact]
    public async Task An_import_unit_with_a_department_but_no_author_is_refused_keeping_the_preview_and_nothing_is_imported()
    {
        var admin = await Admin();
        var form = await Page(admin, "/admin/import");
        var preview = await (await Upload(admin, form, new() { ["target"] = "new", ["title"] = "半填的导入" }, "report.txt", Encoding.UTF8.GetBytes(Outline))).Content.ReadAsStringAsync(Ct);
        var units = PageClient.ImportUnits(preview);
        var fields = ConfirmFields(preview, "半填的导入", units, "jiwei", "");
        var refused = await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(fields), Ct);

        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var again = await refused.Content.ReadAsStringAsync(Ct);
        Assert.Contains("只选了部门或只选了起草人", again);
        Assert.Equal(0, app.Count("Reports", "\"Title\" = '半填的导入'"));

        // The preview is still there, with the departments chosen so far, so the clerk only adds the authors.
        Assert.Contains("data-testid=\"import-preview\"", again);
        Assert.Equal(units, PageClient.ImportUnits(again));
        Assert.Equal(units.Count, Regex.Matches(again, "<option value=\"jiwei\" selected=\"selected\"").Count);
        var completed = ConfirmFields(again, "半填的导入", units, "jiwei", "jiwei.author");
        var confirmed = await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(completed), Ct);
        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, await confirmed.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, app.Count("Reports", "\"Title\" = '半填的导入'"));
    }

    [Fact]
    public async Task An_import_is_previewed_then_confirmed_into_a_new_report_with_the_chosen_authors()
    {
        var admin = await Admin();
        var form = await Page(admin, "/admin/import");

        var previewResponse = await Upload(admin, form, new() { ["target"] = "new", ["title"] = "页面导入报告" }, "report.txt", Encoding.UTF8.GetBytes(Outline));
        var preview = await previewResponse.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.OK, previewResponse.StatusCode);
        Assert.Contains("一、总体情况", preview);
        Assert.Contains("（一）问题一", preview);
        Assert.Contains("待补数字 1 处", preview);
        Assert.Equal(0, app.Count("Reports", "\"Title\" = '页面导入报告'"));

        var units = PageClient.ImportUnits(preview);
        Assert.NotEmpty(units);
        var fields = ConfirmFields(preview, "页面导入报告", units, "jiwei", "jiwei.author");
        var confirmed = await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(fields), Ct);
        var page = await confirmed.Content.ReadAsStringAsync(Ct);

        Assert.True(confirmed.StatusCode == HttpStatusCode.OK, page);
        Assert.Contains("报告已导入", page);
        Assert.Contains("问题一", page);
        var report = app.WithDb(db => db.Reports.Single(r => r.Title == "页面导入报告").Id);
        var reviewable = app.WithDb(db => db.Sections.Where(s => s.ReportId == report && !s.IsGroup && s.Kind == SectionKind.Body).Select(s => s.DepartmentId).ToList());
        var jiwei = app.WithDb(db => db.Departments.Single(d => d.Code == "jiwei").Id);
        Assert.Equal(units.Count, reviewable.Count);
        Assert.All(reviewable, d => Assert.Equal(jiwei, d));
        Assert.Equal(1, app.WithDb(db => db.AuditEntries.Count(e => e.ReportId == report && e.Action == "report.import")));
    }

    [Fact]
    public async Task An_import_takes_the_documents_title_unless_the_clerk_gives_one_and_never_makes_two_reports_of_one_name()
    {
        const string docTitle = "县关于导入标题测试工作情况的报告";
        var bytes = Encoding.UTF8.GetBytes(docTitle + "\n" + Outline);
        var admin = await Admin();

        // No title typed: the preview offers the document's own, and the report gets exactly that.
        var preview = await (await Upload(admin, await Page(admin, "/admin/import"), new() { ["target"] = "new", ["title"] = "" }, "report.txt", bytes)).Content.ReadAsStringAsync(Ct);
        Assert.Contains($"value=\"{docTitle}\"", preview);
        var units = PageClient.ImportUnits(preview);
        await Api.Expect(await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(ConfirmFields(preview, docTitle, units, "jiwei", "jiwei.author")), Ct), HttpStatusCode.OK);
        Assert.Equal(1, app.Count("Reports", $"\"Title\" = '{docTitle}'"));

        // A typed title stays the report's title instead of being replaced by the document's.
        var named = await (await Upload(admin, await Page(admin, "/admin/import"), new() { ["target"] = "new", ["title"] = "另起名字的导入报告" }, "report.txt", bytes)).Content.ReadAsStringAsync(Ct);
        await Api.Expect(await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(ConfirmFields(named, "另起名字的导入报告", units, "jiwei", "jiwei.author")), Ct), HttpStatusCode.OK);
        Assert.Equal(1, app.Count("Reports", "\"Title\" = '另起名字的导入报告'"));
        Assert.Equal(1, app.Count("Reports", $"\"Title\" = '{docTitle}'"));

        // The same document again: the preview warns of the name, and confirming it is refused keeping the preview.
        var again = await (await Upload(admin, await Page(admin, "/admin/import"), new() { ["target"] = "new", ["title"] = "" }, "report.txt", bytes)).Content.ReadAsStringAsync(Ct);
        Assert.Contains("data-testid=\"same-title\"", again);
        var refused = await admin.PostAsync("/admin/import?handler=confirm", new FormUrlEncodedContent(ConfirmFields(again, docTitle, units, "jiwei", "jiwei.author")), Ct);
        Assert.Equal(HttpStatusCode.Conflict, refused.StatusCode);
        Assert.Contains("data-testid=\"import-preview\"", await refused.Content.ReadAsStringAsync(Ct));
        Assert.Equal(1, app.Count("Reports", $"\"Title\" = '{docTitle}'"));
    }

    [Fact]
    public async Task A_refused_title_keeps_the_preview_of_the_chosen_file()
    {
        var admin = await Admin();
        var response = await Upload(admin, await Page(admin, "/admin/import"), new() { ["target"] = "new", ["title"] = new string('长', 201) }, "report.txt", Encoding.UTF8.GetBytes(Outline));
        var page = await response.Content.ReadAsStringAsync(Ct);

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.Contains("data-testid=\"import-preview\"", page);
        Assert.Contains("（一）问题一", page);
        Assert.Contains("请填写新报告的标题", page);
    }

    [Fact]
    public async Task A_bad_file_is_explained_in_the_page_and_writes_nothing()
    {
        var admin = await Admin();
        var form = await Page(admin, "/admin/import");
        var reports = app.Count("Reports");

        var binary = await Upload(admin, form, new() { ["target"] = "new", ["title"] = "坏文件报告" }, "report.txt", Encoding.UTF8.GetBytes("abc\0\0def\0"));
        var binaryPage = await binary.Content.ReadAsStringAsync(Ct);
        Assert.Equal(HttpStatusCode.UnsupportedMediaType, binary.StatusCode);
        Assert.Contains("文件不是文本", binaryPage);

        var flat = await Upload(admin, form, new() { ["target"] = "new", ["title"] = "坏文件报告" }, "notice.txt", Encoding.UTF8.GetBytes("通知\n各单位：请于本周五前报送材料。"));
        Assert.Equal(HttpStatusCode.UnprocessableEntity, flat.StatusCode);
        Assert.Contains("没有找到", await flat.Content.ReadAsStringAsync(Ct));

        var tampered = await PostRaw(admin, form, "/admin/import?handler=confirm", new() { ["target"] = "new", ["title"] = "坏文件报告", ["plan"] = "{\"source\":\"一、甲\\n内容\",\"units\":[{\"id\":\"1\",\"isGroup\":false,\"level\":1,\"number\":\"一、\",\"title\":\"乙\",\"content\":\"别的内容\"}]}" });
        Assert.Equal(HttpStatusCode.UnprocessableEntity, tampered.StatusCode);
        Assert.Contains("预览内容与原文不一致", await tampered.Content.ReadAsStringAsync(Ct));

        Assert.Equal(reports, app.Count("Reports"));
    }

    [Fact]
    public async Task Markup_in_display_and_department_names_is_shown_encoded()
    {
        var admin = await Admin();
        await Post(admin, await Page(admin, "/admin/departments"), "/admin/departments?handler=create", new() { ["code"] = "xss-dept", ["name"] = "<img src=x onerror=alert(1)>部" });
        await Post(admin, await Page(admin, "/admin/users"), "/admin/users?handler=create", NewUser("xss.user", "<script>alert(1)</script>名", "xss-dept"));

        foreach (var path in new[] { "/admin/users", "/admin/departments", $"/admin/users/{UserId("xss.user")}" })
        {
            var html = await Page(admin, path);
            Assert.DoesNotContain("<script>alert(1)", html);
            Assert.DoesNotContain("<img src=x", html);
            Assert.Contains("&lt;", html);
        }

        Assert.Contains("&lt;script&gt;alert(1)&lt;/script&gt;名", await Page(admin, "/admin/users"));
        Assert.Contains("&lt;img src=x onerror=alert(1)&gt;部", await Page(admin, "/admin/departments"));
    }

    [Fact]
    public async Task Numbering_problems_in_an_uploaded_file_are_listed_in_the_reader_s_language()
    {
        const string gapped = "一、总体情况\n内容。\n二、存在问题\n（一）问题一\n内容。\n（三）问题三\n内容。";
        var admin = await Admin();
        var preview = await (await Upload(admin, await Page(admin, "/admin/import"), new() { ["target"] = "new", ["title"] = "编号有缺" }, "report.txt", Encoding.UTF8.GetBytes(gapped))).Content.ReadAsStringAsync(Ct);

        Assert.Equal(["第 6 行： 编号从 （一） 跳到 （三）（第 6 行），是否缺少 （二）？"], Warnings(preview));

        var english = await Post(admin, await Page(admin, "/admin/import"), "/culture", new() { ["culture"] = "en", ["returnUrl"] = "/admin/import" });
        preview = await (await Upload(admin, english, new() { ["target"] = "new", ["title"] = "编号有缺" }, "report.txt", Encoding.UTF8.GetBytes(gapped))).Content.ReadAsStringAsync(Ct);
        Assert.Equal(["Line 6: Numbering jumps from （一） to （三） (line 6); is （二） missing?"], Warnings(preview));
        Assert.Equal(0, app.Count("Reports", "\"Title\" = '编号有缺'"));
    }

    /// <summary>The confirmation the preview page posts: its plan and token, each unit given the department and author.</summary>
    private static List<KeyValuePair<string, string>> ConfirmFields(string preview, string title, List<string> units, string department, string author)
    {
        var fields = new List<KeyValuePair<string, string>>
        {
            new("target", "new"),
            new("title", title),
            new("plan", PageClient.ImportPlan(preview)),
            new("__RequestVerificationToken", PageClient.AntiforgeryToken(preview)),
        };
        foreach (var unit in units)
        {
            fields.AddRange([new("unit", unit), new("department", department), new("author", author)]);
        }

        return fields;
    }

    /// <summary>The import preview's warning list, as its lines read.</summary>
    private static List<string> Warnings(string page) =>
        Regex.Matches(Regex.Match(page, "data-testid=\"import-warnings\">(.*?)</ul>", RegexOptions.Singleline).Groups[1].Value, "<li>(.*?)</li>", RegexOptions.Singleline)
            .Select(m => Regex.Replace(WebUtility.HtmlDecode(m.Groups[1].Value), @"\s+", " ").Trim())
            .ToList();

    [Fact]
    public async Task The_admin_pages_switch_to_english()
    {
        var admin = app.Browser();
        var inbox = await SignIn(admin, "admin");
        var page = await Post(admin, inbox, "/culture", new() { ["culture"] = "en", ["returnUrl"] = "/admin/users" });

        Assert.Contains("New user", page);
        Assert.DoesNotContain("新建用户", page);
    }

    private async Task<HttpClient> Admin()
    {
        var browser = app.Browser();
        await SignIn(browser, "admin");
        return browser;
    }

    private static Dictionary<string, string> NewUser(string userName, string displayName, string department = "zuzhi") => new()
    {
        ["userName"] = userName,
        ["displayName"] = displayName,
        ["department"] = department,
        ["roles"] = "author",
        ["password"] = WorkflowApp.Password,
    };

    private string UserId(string userName) => app.WithDb(db => db.Users.Single(u => u.UserName == userName).Id);

    private int AuditCount(string action, string about) =>
        app.WithDb(db => db.AuditEntries.Count(e => e.ReportId == Guid.Empty && e.Action == action && e.Data.Contains(about)));

    private Task<HttpResponseMessage> Login(string userName, string password) =>
        app.CreateClient().PostAsJsonAsync("/api/auth/login", new { userName, password }, Ct);

    private static Task<HttpResponseMessage> Upload(HttpClient browser, string page, Dictionary<string, string> fields, string fileName, byte[] bytes)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in fields)
        {
            content.Add(new StringContent(value), name);
        }

        content.Add(new StringContent(PageClient.AntiforgeryToken(page)), "__RequestVerificationToken");
        var file = new ByteArrayContent(bytes);
        file.Headers.ContentType = new System.Net.Http.Headers.MediaTypeHeaderValue("text/plain");
        content.Add(file, "file", fileName);
        return browser.PostAsync("/admin/import?handler=preview", content, Ct);
    }
}
