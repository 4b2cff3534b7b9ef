// The project area drawn on a Leaflet map (Geoman for drawing). Progressive enhancement: the
// labelled text field below the map stays the source of truth and can be used with the keyboard
// alone (paste GeoJSON or one "latitude, longitude" per line); the map only writes into it.
(function () {
  "use strict";
  function init(container) {
    var field = document.getElementById(container.dataset.target);
    if (!field || typeof L === "undefined") { return; }
    var map = L.map(container, { scrollWheelZoom: false, keyboard: true }).setView([62.0, 16.0], 5);
    // Open on the chosen municipality's town centre (until an area exists to zoom to).
    var centres = {};
    try { centres = JSON.parse(container.dataset.centres || "{}"); } catch (e) { centres = {}; }
    var select = document.getElementById("id_municipality");
    function centreOn(orgId) {
      var centre = centres[orgId];
      if (centre && !layer) { map.setView(centre, 15); }
    }
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.tileAttribution || "" }).addTo(map);
    } else {
      container.classList.add("area-map-no-tiles");
    }
    var layer = null;
    function writeField() {
      field.value = layer ? JSON.stringify(layer.toGeoJSON().geometry) : "";
      field.dispatchEvent(new Event("change"));
    }
    function readField() {
      var text = field.value.trim();
      if (!text || text[0] !== "{") { return; }
      try {
        var geometry = JSON.parse(text);
        if (layer) { map.removeLayer(layer); }
        layer = L.geoJSON(geometry, { pmIgnore: false }).getLayers()[0];
        if (layer) { layer.addTo(map); map.fitBounds(layer.getBounds(), { padding: [20, 20] }); bindEdit(layer); }
      } catch (e) { /* the server validates and explains */ }
    }
    function bindEdit(target) {
      target.on("pm:edit", writeField);
    }
    readField();
    centreOn(select ? select.value : container.dataset.municipality);
    if (select) { select.addEventListener("change", function () { centreOn(select.value); }); }
    if (map.pm) {
      map.pm.setLang(document.documentElement.lang === "sv" ? "sv" : "en");
      map.pm.addControls({
        position: "topleft", drawMarker: false, drawCircleMarker: false, drawPolyline: false,
        drawRectangle: true, drawCircle: false, drawText: false, cutPolygon: false, rotateMode: false,
        dragMode: true, editMode: true, removalMode: true
      });
      // Geoman puts each tool's name only in the title of the button's wrapper; the focusable
      // role="button" link inside has no accessible name (WCAG 4.1.2). Give it the same name.
      container.querySelectorAll(".button-container[title] > .leaflet-buttons-control-button").forEach(function (button) {
        button.setAttribute("aria-label", button.parentNode.getAttribute("title"));
      });
      map.on("pm:create", function (event) {
        if (layer) { map.removeLayer(layer); }
        layer = event.layer;
        bindEdit(layer);
        writeField();
      });
      map.on("pm:remove", function () { layer = null; writeField(); });
    }
    field.addEventListener("input", readField);
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-area-map]").forEach(init);
  });
})();
