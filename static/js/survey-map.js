// Map answers of a survey on a Leaflet map: the places as markers coloured by category, and a heat
// layer (vendored leaflet.heat) showing where they cluster. The category and time-of-day selects
// filter both at once without a reload; the form still submits for the table and the picture,
// which work without JavaScript.
(function () {
  "use strict";
  function init(container) {
    var source = document.getElementById("survey-map-data");
    if (!source || typeof L === "undefined") { return; }
    var data = JSON.parse(source.textContent);
    var colours = {};
    var labels = {};
    var shapes = {};
    data.categories.forEach(function (c) { colours[c.value] = c.colour; labels[c.value] = c.label; shapes[c.value] = c.shape; });
    // The same shapes as the legend and the printable map, so colour is not the only cue.
    var SHAPES = {
      circle: '<circle cx="9" cy="9" r="6.5"/>',
      square: '<rect x="3" y="3" width="12" height="12"/>',
      diamond: '<path d="M9,1 L17,9 L9,17 L1,9 Z"/>',
      triangle: '<path d="M9,1.5 L17,16 L1,16 Z"/>'
    };
    var icons = {};
    function icon(category) {
      if (!icons[category]) {
        var colour = colours[category] || "#4a4f55";
        icons[category] = L.divIcon({
          className: "survey-marker",
          iconSize: [18, 18],
          html: '<svg xmlns="http://www.w3.org/2000/svg" width="18" height="18" viewBox="0 0 18 18" aria-hidden="true" ' +
            'focusable="false"><g fill="' + colour + '" stroke="#ffffff" stroke-width="1.5">' +
            (SHAPES[shapes[category]] || SHAPES.circle) + "</g></svg>"
        });
      }
      return icons[category];
    }
    var map = L.map(container, { scrollWheelZoom: false, keyboard: true }).setView([62.0, 16.0], 5);
    var tiles = container.dataset.tileUrl;
    if (tiles) {
      L.tileLayer(tiles, { maxZoom: 19, attribution: container.dataset.tileAttribution || "" }).addTo(map);
    } else {
      container.classList.add("survey-map-no-tiles");
    }
    var markers = L.layerGroup().addTo(map);
    var heat = (typeof L.heatLayer === "function") ? L.heatLayer([], { radius: 25, blur: 18, maxZoom: 17 }).addTo(map) : null;
    var categorySelect = document.getElementById("map-category");
    var timeSelect = document.getElementById("map-time");
    var fitted = false;

    function draw() {
      var category = categorySelect ? categorySelect.value : "";
      var time = timeSelect ? timeSelect.value : "";
      var shown = data.points.filter(function (p) {
        return (!category || p.c === category) && (!time || p.t === time);
      });
      markers.clearLayers();
      shown.forEach(function (p) {
        var marker = L.marker([p.lat, p.lon], { icon: icon(p.c), keyboard: false });
        marker.bindTooltip((labels[p.c] || p.c) + (p.t && data.times[p.t] ? " – " + data.times[p.t] : ""));
        markers.addLayer(marker);
      });
      if (heat) { heat.setLatLngs(shown.map(function (p) { return [p.lat, p.lon, 1]; })); }
      if (!fitted && shown.length) {
        map.fitBounds(L.latLngBounds(shown.map(function (p) { return [p.lat, p.lon]; })), { padding: [24, 24], maxZoom: 17 });
        fitted = true;
      }
    }
    [categorySelect, timeSelect].forEach(function (select) {
      if (select) { select.addEventListener("change", draw); }
    });
    var layers = document.querySelector("[data-map-layers]");
    if (layers) {
      layers.hidden = false;
      layers.querySelectorAll("input[data-layer]").forEach(function (box) {
        if (box.dataset.layer === "heat" && !heat) { box.closest(".choice").hidden = true; return; }
        box.addEventListener("change", function () {
          var layer = box.dataset.layer === "heat" ? heat : markers;
          if (box.checked) { layer.addTo(map); } else { map.removeLayer(layer); }
        });
      });
    }
    draw();
  }
  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-survey-map]").forEach(init);
  });
})();
