// Meetings and site walks: progressive enhancement only; every form works without this file.
(function () {
  "use strict";

  // A stop chosen in the observation form fills in its point, unless the person typed their own.
  function pointInputs(form) {
    return { lon: form.querySelector("input[name='lon']"), lat: form.querySelector("input[name='lat']") };
  }
  document.querySelectorAll("select[data-stop-select]").forEach(function (select) {
    var form = select.form;
    var inputs = pointInputs(form);
    if (!inputs.lon || !inputs.lat) { return; }
    var last = { lon: inputs.lon.value, lat: inputs.lat.value };
    select.addEventListener("change", function () {
      var option = select.options[select.selectedIndex];
      var untouched = inputs.lon.value === last.lon && inputs.lat.value === last.lat;
      if (!untouched) { return; }
      inputs.lon.value = option.dataset.lon || "";
      inputs.lat.value = option.dataset.lat || "";
      last = { lon: inputs.lon.value, lat: inputs.lat.value };
    });
  });

  // "Use my position": shown only where the browser can tell it.
  document.querySelectorAll("button[data-geolocate]").forEach(function (button) {
    if (!("geolocation" in navigator)) { return; }
    var form = button.form;
    var inputs = pointInputs(form);
    var status = form.querySelector("[data-geo-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) { status.textContent = button.dataset.waiting || "…"; }
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        inputs.lon.value = position.coords.longitude.toFixed(6);
        inputs.lat.value = position.coords.latitude.toFixed(6);
        if (status) {
          status.textContent = (button.dataset.done || "±%sm").replace("%s", Math.round(position.coords.accuracy));
        }
        button.disabled = false;
      }, function () {
        if (status) { status.textContent = button.dataset.failed || ""; }
        button.disabled = false;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  });

  // Ask before deleting (the form still works without it).
  document.querySelectorAll("form[data-confirm]").forEach(function (form) {
    form.addEventListener("submit", function (event) {
      if (!window.confirm(form.dataset.confirm)) { event.preventDefault(); }
    });
  });

  // After htmx swaps a participant's row, keep keyboard focus in that row.
  var refocus = null;
  document.addEventListener("htmx:beforeRequest", function (event) {
    var row = event.target.closest && event.target.closest("tr[id^='participant-']");
    refocus = row ? row.id : null;
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!refocus) { return; }
    var row = document.getElementById(refocus);
    var control = row && row.querySelector("button");
    if (control) { control.focus(); }
    refocus = null;
  });
})();
