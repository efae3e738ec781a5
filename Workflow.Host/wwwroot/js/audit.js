// Audit page: the section list belongs to the report that was chosen when the page was drawn. Once another report
// is picked, that list no longer applies, so it is switched off (and not sent) until the filter is applied again.
document.addEventListener("DOMContentLoaded", () => {
    const report = document.querySelector("[data-audit-report]");
    const section = document.querySelector("[data-audit-section]");
    if (!report || !section) {
        return;
    }

    const drawnFor = report.value;
    report.addEventListener("change", () => {
        const same = report.value === drawnFor && drawnFor !== "";
        section.disabled = !same;
        if (!same) {
            section.value = "";
        }
    });
});
