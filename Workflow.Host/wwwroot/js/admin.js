// Administration: an author select lists only the accounts of the department chosen beside it. Without the script
// every account is listed (grouped by department) and the server refuses an author from another department.
document.addEventListener("DOMContentLoaded", () => {
    for (const department of document.querySelectorAll("select[data-assign-department]")) {
        const author = document.querySelector(`select[data-assign-author="${department.dataset.assignDepartment}"]`);
        if (!author) {
            continue;
        }

        const narrow = () => {
            for (const group of author.querySelectorAll("optgroup")) {
                const other = department.value !== "" && group.dataset.department !== department.value;
                group.hidden = other;
                group.disabled = other;
            }

            const chosen = author.selectedOptions[0];
            if (chosen && chosen.parentElement.disabled) {
                const first = author.querySelector(`optgroup[data-department="${department.value}"] option`);
                author.value = first ? first.value : "";
            }
        };
        department.addEventListener("change", narrow);
        narrow();
    }
});
