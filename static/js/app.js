// Progressive enhancement shared by all pages. No inline scripts: the CSP forbids them.
(function () {
  "use strict";
  // After htmx replaces a row (e.g. an activity ticked done), put keyboard focus back on the
  // control in the new row, so keyboard and screen-reader users do not lose their place.
  var refocusId = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest && event.target.closest("[data-refocus]");
    refocusId = row ? row.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!refocusId) { return; }
    var row = document.getElementById(refocusId);
    // Not "input" alone: the first input in a row is the form's hidden CSRF token, which cannot
    // take focus, so focus fell back to the page.
    var control = row && row.querySelector("button, input:not([type=hidden]), select, textarea, a[href]");
    if (control) { control.focus(); }
    refocusId = null;
  });
})();
