// The survey builder: after htmx swaps the question list, put focus where the user was (the
// control they used, or the question's heading when the control is gone), and on the question
// form show only the settings of the chosen type. Everything works without this file.
(function () {
  "use strict";

  function focusAfterSwap(container) {
    var id = container.getAttribute("data-focus-id");
    if (!id) { return; }
    var target = document.getElementById(id);
    if (!target) {
      // A move button disappears at the top or bottom: fall back to the question's heading.
      var match = /^question-(\d+)-/.exec(id);
      target = match ? document.getElementById("question-" + match[1] + "-heading") : null;
    }
    if (!target) { target = document.getElementById("builder-heading"); }
    if (target) { target.focus(); }
  }

  document.addEventListener("htmx:afterSettle", function (event) {
    var container = document.getElementById("builder-questions");
    if (container && (event.target === container || event.target.id === "builder-questions" || container.contains(event.target))) {
      focusAfterSwap(container);
    }
  });

  function showKindSettings(select) {
    var form = select.form;
    if (!form) { return; }
    form.querySelectorAll("[data-kinds]").forEach(function (block) {
      var kinds = block.getAttribute("data-kinds").split(" ");
      block.hidden = kinds.indexOf(select.value) === -1;
    });
  }

  // The create form: the baseline is only asked for a follow-up.
  function showBaseline(form) {
    var checked = form.querySelector("input[name=kind]:checked");
    form.querySelectorAll("[data-kinds]").forEach(function (block) {
      var kinds = block.getAttribute("data-kinds").split(" ");
      block.hidden = !checked || kinds.indexOf(checked.value) === -1;
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll(".survey-create-form").forEach(function (form) {
      showBaseline(form);
      form.addEventListener("change", function () { showBaseline(form); });
    });
    document.querySelectorAll(".question-form select[name=kind]").forEach(function (select) {
      showKindSettings(select);
      select.addEventListener("change", function () { showKindSettings(select); });
    });
  });
})();
