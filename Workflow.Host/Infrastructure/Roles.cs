namespace Workflow.Host.Infrastructure;

public static class Roles
{
    public const string Admin = "admin";
    public const string Author = "author";
    public const string DepartmentHead = "department-head";
    public const string CommitteeMember = "committee-member";
    public const string Auditor = "auditor";

    /// <summary>签发人: signs a report off as a whole once every part is approved (by default the county secretary).</summary>
    public const string Signer = "signer";

    public static readonly string[] All = [Admin, Author, DepartmentHead, CommitteeMember, Auditor, Signer];

    /// <summary>Roles that read every report and section, county-wide.</summary>
    public static readonly string[] CountyWideReaders = CountyWideReaderList.Split(',');

    /// <summary>The same roles as one comma-separated constant, which is what [Authorize(Roles = …)] takes.</summary>
    public const string CountyWideReaderList = Admin + "," + CommitteeMember + "," + Auditor;
}
