// The current-state analysis map (templates/analysis/current_state/current_state.html).
// Progressive enhancement: without JavaScript the layer checkboxes are a GET form that redraws the
// server-rendered SVG map. With it, a Leaflet map (with the same layers and a layer control) takes
// the SVG's place on the screen, and the checkboxes hide and show the layers of both at once.
(function () {
  "use strict";

  function svgGroups(key) {
    return document.querySelectorAll(".layered-map .map-layer-" + key);
  }

  function shapeSvg(shape, colour) {
    var fill = 'fill="' + colour + '" stroke="#fff" stroke-width="1.5"';
    var body = '<circle cx="8" cy="8" r="6" ' + fill + "/>";
    if (shape === "square") { body = '<rect x="2" y="2" width="12" height="12" ' + fill + "/>"; }
    if (shape === "diamond") { body = '<path d="M8,0 L16,8 L8,16 L0,8 Z" ' + fill + "/>"; }
    if (shape === "triangle") { body = '<path d="M8,1 L15,14 L1,14 Z" ' + fill + "/>"; }
    return '<svg xmlns="http://www.w3.org/2000/svg" width="16" height="16" viewBox="0 0 16 16" aria-hidden="true">' +
      body + "</svg>";
  }

  function safeColour(value) {
    return /^#[0-9a-fA-F]{3,8}$/.test(value || "") ? value : "#0b5394";
  }

  function init(form) {
    var toggles = form.querySelectorAll("[data-layer-toggle]");
    var submit = form.querySelector("[data-layer-submit]");
    if (submit) { submit.classList.add("is-hidden"); }
    var leafletLayers = {};
    var map = null;

    function show(key, visible) {
      svgGroups(key).forEach(function (group) { group.classList.toggle("is-hidden", !visible); });
      var layer = leafletLayers[key];
      if (map && layer) {
        if (visible && !map.hasLayer(layer)) { map.addLayer(layer); }
        if (!visible && map.hasLayer(layer)) { map.removeLayer(layer); }
      }
    }

    toggles.forEach(function (box) {
      box.addEventListener("change", function () { show(box.dataset.layerToggle, box.checked); });
    });

    var container = document.querySelector("[data-current-state-map]");
    var source = container && document.getElementById(container.dataset.source);
    if (!container || !source || typeof L === "undefined") { return; }
    var data;
    try { data = JSON.parse(source.textContent); } catch (e) { return; }
    container.hidden = false;
    map = L.map(container, { scrollWheelZoom: false, keyboard: true });
    if (container.dataset.tileUrl) {
      L.tileLayer(container.dataset.tileUrl, { maxZoom: 19, attribution: container.dataset.tileAttribution || "" }).addTo(map);
    } else {
      container.classList.add("area-map-no-tiles");
    }
    var bounds = L.latLngBounds([]);
    if (data.area) {
      var area = L.geoJSON(data.area, { style: { color: "#0b5394", weight: 2, fillOpacity: 0.1 } }).addTo(map);
      bounds.extend(area.getBounds());
    }
    var overlays = {};
    data.layers.forEach(function (layer) {
      var group = L.layerGroup();
      layer.points.forEach(function (point) {
        if (layer.opacity < 1) {
          // The many survey places: small see-through dots on the vector layer, not focusable one by one
          // (hundreds of tab stops would make the map unusable by keyboard); the tables below list them.
          var dot = L.circleMarker([point.lat, point.lon], { radius: layer.radius || 3.5, stroke: false,
            fillColor: safeColour(point.colour), fillOpacity: layer.opacity, className: "cs-dot" });
          dot.bindTooltip(point.label);
          group.addLayer(dot);
          bounds.extend([point.lat, point.lon]);
          return;
        }
        var icon = L.divIcon({ className: "cs-marker", html: shapeSvg(layer.shape, safeColour(point.colour)),
                               iconSize: [16, 16], iconAnchor: [8, 8] });
        var marker = L.marker([point.lat, point.lon], { icon: icon, title: point.label, alt: point.label, keyboard: true });
        marker.bindTooltip(point.label);
        group.addLayer(marker);
        bounds.extend([point.lat, point.lon]);
      });
      leafletLayers[layer.key] = group;
      var box = form.querySelector('[data-layer-toggle="' + layer.key + '"]');
      if (!box || box.checked) { group.addTo(map); }
      overlays[shapeSvg(layer.shape, safeColour(layer.colour)) + " " + L.Util.template("{label} ({n})", {
        label: layer.label.replace(/[<>&"]/g, ""), n: layer.points.length })] = group;
    });
    // On a phone the open control would cover the map; the checkboxes above do the same job.
    L.control.layers(null, overlays, { collapsed: window.innerWidth < 600 }).addTo(map);
    map.on("overlayadd overlayremove", function (event) {
      Object.keys(leafletLayers).forEach(function (key) {
        if (leafletLayers[key] !== event.layer) { return; }
        var box = form.querySelector('[data-layer-toggle="' + key + '"]');
        if (box) { box.checked = event.type === "overlayadd"; }
        svgGroups(key).forEach(function (group) { group.classList.toggle("is-hidden", event.type !== "overlayadd"); });
      });
    });
    // Leaflet now shows what the server-rendered SVG shows: keep the SVG for screen readers (its title
    // and description say what the map holds) but not twice on the screen.
    document.querySelectorAll(".map-figure .layered-map").forEach(function (svg) { svg.classList.add("visually-hidden"); });
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [20, 20], maxZoom: 18 }); } else { map.setView([62.0, 16.0], 5); }
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("[data-layer-form]").forEach(init);
  });
})();
