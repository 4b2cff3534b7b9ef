// The respondent's map question (SPEC §5.3): Leaflet + Geoman to place a point or draw a route or an
// area. Progressive enhancement: the labelled "latitude, longitude" field of each place stays the
// source of truth and works with the keyboard alone; the map only writes into it (as GeoJSON) and
// reads it back. Without JavaScript the map container stays hidden.
(function () {
  "use strict";
  function init(container) {
    if (container.dataset.ready || typeof L === "undefined") { return; }
    var field = document.getElementById(container.dataset.target);
    if (!field) { return; }
    container.dataset.ready = "1";
    container.hidden = false;
    var kinds = (container.dataset.kinds || "point").split(" ");
    var centre = (container.dataset.center || "62,16").split(",").map(Number);
    var map = L.map(container, { scrollWheelZoom: false, keyboard: true }).setView(centre, 15);
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.tileAttribution || "" }).addTo(map);
    } else {
      container.classList.add("respond-map-no-tiles");
    }
    var layer = null;
    function setShape(type) {
      var value = type === "Polygon" ? "area" : (type === "LineString" ? "line" : "");
      if (!value) { return; }
      var radio = document.getElementById(container.dataset.shape + "-" + value);
      if (radio) { radio.checked = true; }
    }
    function writeField() {
      if (!layer) { field.value = ""; return; }
      var geometry = layer.toGeoJSON().geometry;
      if (geometry.type === "Point") {
        field.value = geometry.coordinates[1].toFixed(6) + ", " + geometry.coordinates[0].toFixed(6);
      } else {
        field.value = JSON.stringify(geometry);
        setShape(geometry.type);
      }
    }
    function readField() {
      var text = field.value.trim();
      var geometry = null;
      if (!text) { return; }
      try {
        if (text[0] === "{") {
          geometry = JSON.parse(text);
        } else {
          var parts = text.split(/[\n;]+/)[0].match(/^\s*(-?\d+(?:[.,]\d+)?)\s*[,\s]\s*(-?\d+(?:[.,]\d+)?)\s*$/);
          if (!parts) { return; }
          geometry = { type: "Point", coordinates: [Number(parts[2].replace(",", ".")), Number(parts[1].replace(",", "."))] };
        }
        if (layer) { map.removeLayer(layer); }
        layer = L.geoJSON(geometry).getLayers()[0];
        if (layer) {
          layer.addTo(map);
          if (layer.getBounds) { map.fitBounds(layer.getBounds(), { padding: [20, 20], maxZoom: 17 }); }
          else { map.setView(layer.getLatLng(), Math.max(map.getZoom(), 15)); }
          layer.on("pm:edit", writeField);
        }
      } catch (e) { /* the server validates and explains */ }
    }
    readField();
    if (map.pm) {
      map.pm.setLang(document.documentElement.lang === "sv" ? "sv" : "en");
      map.pm.addControls({
        position: "topleft", drawMarker: kinds.indexOf("point") >= 0, drawCircleMarker: false,
        drawPolyline: kinds.indexOf("line") >= 0, drawPolygon: kinds.indexOf("area") >= 0,
        drawRectangle: false, drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false,
        dragMode: true, editMode: true, removalMode: true
      });
      // Geoman names each tool only in its wrapper's title; give the focusable button the same name.
      container.querySelectorAll(".button-container[title] > .leaflet-buttons-control-button").forEach(function (button) {
        button.setAttribute("aria-label", button.parentNode.getAttribute("title"));
      });
      map.on("pm:create", function (event) {
        if (layer) { map.removeLayer(layer); }
        layer = event.layer;
        layer.on("pm:edit", writeField);
        writeField();
      });
      map.on("pm:remove", function () { layer = null; writeField(); });
    }
    field.addEventListener("change", readField);
  }
  // A question whose condition is on the same page: hidden until the condition is met. Without
  // JavaScript it stays visible with a note, and the server drops its answer when the condition fails.
  function conditions(form) {
    var dependants = form.querySelectorAll("[data-condition-field]");
    if (!dependants.length) { return; }
    function update() {
      dependants.forEach(function (block) {
        var wanted = (block.dataset.conditionValues || "").split(" ");
        var chosen = Array.prototype.map.call(
          form.querySelectorAll("[name='" + block.dataset.conditionField + "']:checked"),
          function (input) { return input.value; });
        block.hidden = !chosen.some(function (value) { return wanted.indexOf(value) >= 0; });
      });
    }
    form.addEventListener("change", update);
    update();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("form.respond-form").forEach(conditions);
    document.querySelectorAll("[data-respond-map]").forEach(function (container) {
      var details = container.closest("details");
      if (details && !details.open) {
        // A map in a closed <details> has no size yet: build it when the place is opened.
        details.addEventListener("toggle", function () { if (details.open) { init(container); } });
      } else {
        init(container);
      }
    });
  });
})();
