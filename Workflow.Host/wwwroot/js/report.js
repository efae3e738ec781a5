// Board: choosing where a part goes at 复审 ticks that part, so the choice is not lost on submit.
(function () {
  "use strict";
  document.querySelectorAll("[data-reopen-form] select").forEach(function (select) {
    select.addEventListener("change", function () {
      var row = select.closest("tr");
      var box = row && row.querySelector("input[type=checkbox]");
      if (box) box.checked = true;
    });
  });
})();
