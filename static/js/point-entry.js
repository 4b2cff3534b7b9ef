// Point entry on a phone (inspection points and point audits). Progressive enhancement only: the
// latitude/longitude fields stay the source of truth and work with the keyboard and without
// JavaScript; the map and "Use my position" only write into them.
(function () {
  "use strict";

  function fields(form) {
    return { lat: form.querySelector("input[name='lat']"), lon: form.querySelector("input[name='lon']") };
  }

  function readPoint(inputs) {
    var lat = parseFloat((inputs.lat.value || "").replace(",", "."));
    var lon = parseFloat((inputs.lon.value || "").replace(",", "."));
    return isNaN(lat) || isNaN(lon) ? null : [lat, lon];
  }

  function writePoint(inputs, lat, lon) {
    inputs.lat.value = lat.toFixed(6);
    inputs.lon.value = lon.toFixed(6);
    inputs.lat.dispatchEvent(new Event("change", { bubbles: true }));
  }

  // Tap-to-place map.
  function initMap(container) {
    if (typeof L === "undefined") { return; }
    var form = container.closest("form");
    var inputs = fields(form);
    if (!inputs.lat || !inputs.lon) { return; }
    container.hidden = false;
    var map = L.map(container, { scrollWheelZoom: false, keyboard: true, tap: true });
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.tileAttribution || "" }).addTo(map);
    } else {
      container.classList.add("point-map-no-tiles");
    }
    var area = null;
    var areaData = document.getElementById(container.dataset.area || "");
    if (areaData) {
      try {
        var geometry = JSON.parse(areaData.textContent);
        if (geometry) { area = L.geoJSON(geometry, { interactive: false }).addTo(map); }
      } catch (e) { area = null; }
    }
    var marker = null;
    function place(latlng, pan) {
      if (!marker) { marker = L.marker(latlng, { keyboard: false }).addTo(map); } else { marker.setLatLng(latlng); }
      if (pan) { map.panTo(latlng); }
    }
    var start = readPoint(inputs);
    if (start) {
      map.setView(start, 17);
      place(start, false);
    } else if (area && area.getBounds().isValid()) {
      map.fitBounds(area.getBounds(), { padding: [16, 16] });
    } else {
      map.setView([62.0, 16.0], 5);
    }
    map.on("click", function (event) {
      place(event.latlng, false);
      writePoint(inputs, event.latlng.lat, event.latlng.lng);
    });
    function fromFields() {
      var point = readPoint(inputs);
      if (point) { place(point, true); }
    }
    inputs.lat.addEventListener("input", fromFields);
    inputs.lon.addEventListener("input", fromFields);
    form.addEventListener("point-entry:located", fromFields);
  }

  // "Use my position": shown only where the browser can tell it.
  function initGeolocate(button) {
    if (!("geolocation" in navigator)) { return; }
    var form = button.form;
    var inputs = fields(form);
    var status = form.querySelector("[data-geo-status]");
    button.hidden = false;
    button.addEventListener("click", function () {
      if (status) { status.textContent = button.dataset.waiting || "…"; }
      button.disabled = true;
      navigator.geolocation.getCurrentPosition(function (position) {
        writePoint(inputs, position.coords.latitude, position.coords.longitude);
        form.dispatchEvent(new Event("point-entry:located"));
        if (status) {
          status.textContent = (button.dataset.done || "±%sm").replace("%s", Math.round(position.coords.accuracy));
        }
        button.disabled = false;
      }, function () {
        if (status) { status.textContent = button.dataset.failed || ""; }
        button.disabled = false;
      }, { enableHighAccuracy: true, timeout: 15000, maximumAge: 60000 });
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-point-map]").forEach(initMap);
    document.querySelectorAll("button[data-geolocate]").forEach(initGeolocate);
  });
})();
