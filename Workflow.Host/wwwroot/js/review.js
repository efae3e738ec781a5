// Review page: the choice of rerun or straight back only matters for a return past the stage just before.
(function () {
  "use strict";
  document.querySelectorAll("[data-return-target]").forEach(function (select) {
    var choice = select.form && select.form.querySelector("[data-resubmit]");
    if (!choice) return;
    var update = function () {
      var option = select.options[select.selectedIndex];
      choice.hidden = !option || option.getAttribute("data-far") !== "true";
    };
    select.addEventListener("change", update);
    update();
  });
})();
