// Small progressive enhancements for the server-rendered pages; every page works without them.
// No framework and no CDN: the machines are offline.
"use strict";

(function () {
  // A page answering a post: Back must not ask to send the form again (Chrome's "Confirm Form Resubmission"),
  // so its history entry becomes a plain GET of the same page.
  var afterPost = document.body.getAttribute("data-after-post");
  if (afterPost && window.history.replaceState) {
    window.history.replaceState(null, "", afterPost + location.hash);
  }

  // Same rule as PlaceholderScanner: 1–4 X's (Latin or full-width) with no Latin letter or digit beside them.
  var placeholder = /(?<![A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A0-9\uFF10-\uFF19])[Xx\uFF38\uFF58]{1,4}(?![A-Za-z\uFF21-\uFF3A\uFF41-\uFF5A0-9\uFF10-\uFF19])/g;

  // Editor: a live count of the figures still missing, so the author sees them before submitting.
  document.querySelectorAll("[data-placeholder-watch]").forEach(function (form) {
    var area = form.querySelector("textarea");
    var out = form.querySelector("[data-template]");
    if (!area || !out) return;
    var update = function () {
      var count = (area.value.match(placeholder) || []).length;
      out.textContent = count > 0 ? out.getAttribute("data-template").replace("{0}", count) : "";
    };
    area.addEventListener("input", update);
    update();
  });

  // Review: a preset phrase goes into the opinion; no Return without an opinion.
  document.querySelectorAll("[data-review-form]").forEach(function (form) {
    var opinion = form.querySelector("textarea[name=opinion]");
    var warning = form.querySelector("[data-return-check]");
    form.querySelectorAll("button.preset").forEach(function (b) {
      b.addEventListener("click", function () {
        var current = opinion.value.trim();
        opinion.value = current.length === 0 ? b.getAttribute("data-phrase") : current + b.getAttribute("data-phrase");
        opinion.focus();
        if (warning) warning.hidden = true;
      });
    });
    form.querySelectorAll("[data-needs-opinion]").forEach(function (button) {
      button.addEventListener("click", function (e) {
        if (opinion.value.trim().length === 0) {
          e.preventDefault();
          if (warning) warning.hidden = false;
          opinion.focus();
        }
      });
    });
    opinion.addEventListener("input", function () { if (warning && opinion.value.trim().length > 0) warning.hidden = true; });
    // A live count instead of maxlength, which would cut pasted text without a word; counted as the server counts
    // (line breaks are posted as CR LF).
    var counter = form.querySelector("[data-opinion-count]");
    if (counter) {
      var max = parseInt(counter.getAttribute("data-max"), 10);
      var count = function () {
        var n = opinion.value.replace(/\r?\n/g, "\r\n").length;
        var text = counter.getAttribute("data-count-text").replace("{0}", n).replace("{1}", max);
        counter.textContent = n > max ? text + " " + counter.getAttribute("data-over-text") : text;
        counter.classList.toggle("error", n > max);
        opinion.setAttribute("aria-invalid", n > max ? "true" : "false");
      };
      opinion.addEventListener("input", count);
      form.querySelectorAll("button.preset").forEach(function (b) { b.addEventListener("click", count); });
      count();
    }
  });

  document.querySelectorAll("[data-print]").forEach(function (b) { b.addEventListener("click", function () { window.print(); }); });

  // New work arrives without a reload: the server pushes the person's notices (server-sent events); the to-do
  // badge, and on the inbox the lists, are then re-read from the server-rendered page.
  if (document.body.dataset.signedIn === "true" && window.EventSource) {
    var timer = null;
    var refresh = function () {
      var onInbox = document.body.dataset.liveInbox === "true";
      fetch(onInbox ? location.pathname + location.search : "/inbox", { credentials: "same-origin" })
        .then(function (r) { return r.ok ? r.text() : null; })
        .then(function (html) {
          if (!html) return;
          var doc = new DOMParser().parseFromString(html, "text/html");
          var badge = doc.querySelector("[data-nav-badge]");
          var mine = document.querySelector("[data-nav-badge]");
          if (badge && mine) { mine.textContent = badge.textContent; mine.hidden = badge.hidden; }
          if (onInbox) {
            var fresh = doc.querySelector("[data-live]");
            var here = document.querySelector("[data-live]");
            if (fresh && here) here.innerHTML = fresh.innerHTML;
          }
        });
    };
    // Opened once the page has loaded, so the never-ending stream cannot hold up the page's load event.
    var listen = function () {
      var events = new EventSource("/api/events/stream");
      events.addEventListener("notification", function () {
        clearTimeout(timer);
        timer = setTimeout(refresh, 300);
      });
    };
    if (document.readyState === "complete") listen(); else window.addEventListener("load", listen);
  }
})();
