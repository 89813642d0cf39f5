// The entity form's helpers; the form works without them.
// 1. The ward field suggests wards as one types, with or without
//    diacritics: an ARIA combobox over a listbox, filtered here from the
//    126 wards the console serves (folded: no diacritics, đ → d).
// 2. A click on the ward map sets the latitude and longitude (5 decimals)
//    and names the ward clicked; the server confirms it on save.
// 3. The same from the keyboard, with a crosshair on the map.
// 4. A form sent back with errors focuses them.
"use strict";
(function () {
  function fold(s) {
    return s.normalize("NFD").replace(/[\u0300-\u036f]/g, "").replace(/[đĐ]/g, "d").toLowerCase().replace(/\s+/g, " ").trim();
  }

  var ward = document.querySelector("input[data-wards]");
  if (ward) {
    var list = document.createElement("ul");
    list.id = ward.id + "-list";
    list.className = "suggestions";
    list.setAttribute("role", "listbox");
    list.setAttribute("aria-label", document.querySelector("label[for='" + ward.id + "']").textContent);
    list.hidden = true;
    ward.parentNode.insertBefore(list, ward.nextSibling);
    ward.setAttribute("role", "combobox");
    ward.setAttribute("aria-autocomplete", "list");
    ward.setAttribute("aria-expanded", "false");
    ward.setAttribute("aria-controls", list.id);
    var wards = [], active = -1;
    fetch(ward.dataset.wards, { credentials: "same-origin" }).then(function (r) { return r.json(); }).then(function (all) {
      wards = all.map(function (w) { return { name: w.name, full: w.full_name, keys: [fold(w.full_name), fold(w.name_en)] }; });
      if (document.activeElement === ward && ward.value) { suggest(); }
    });
    var close = function () {
      list.hidden = true; active = -1;
      ward.setAttribute("aria-expanded", "false");
      ward.removeAttribute("aria-activedescendant");
    };
    var choose = function (name) { ward.value = name; close(); };
    var highlight = function (i) {
      var items = list.children;
      if (!items.length) { return; }
      active = (i + items.length) % items.length;
      for (var j = 0; j < items.length; j++) { items[j].setAttribute("aria-selected", j === active ? "true" : "false"); }
      ward.setAttribute("aria-activedescendant", items[active].id);
      items[active].scrollIntoView({ block: "nearest" });
    };
    var suggest = function () {
      var q = fold(ward.value);
      list.textContent = "";
      if (!q) { close(); return; }
      var found = wards.filter(function (w) { return w.keys.some(function (k) { return k.indexOf(q) >= 0; }); }).slice(0, 10);
      found.forEach(function (w, i) {
        var li = document.createElement("li");
        li.id = list.id + "-" + i;
        li.setAttribute("role", "option");
        li.setAttribute("aria-selected", "false");
        li.dataset.name = w.name;
        li.textContent = w.full;
        li.addEventListener("mousedown", function (ev) { ev.preventDefault(); choose(w.name); });
        list.appendChild(li);
      });
      active = -1;
      list.hidden = found.length === 0;
      ward.setAttribute("aria-expanded", found.length ? "true" : "false");
    };
    ward.addEventListener("input", suggest);
    ward.addEventListener("blur", close);
    ward.addEventListener("keydown", function (ev) {
      if (list.hidden) { if (ev.key === "ArrowDown") { suggest(); } return; }
      if (ev.key === "ArrowDown") { ev.preventDefault(); highlight(active + 1); }
      else if (ev.key === "ArrowUp") { ev.preventDefault(); highlight(active - 1); }
      else if (ev.key === "Enter" && active >= 0) { ev.preventDefault(); choose(list.children[active].dataset.name); }
      else if (ev.key === "Escape") { close(); }
    });
  }

  // 3. The map from the keyboard: it takes focus, the arrow keys move a
  //    crosshair about 200 m (with Shift about 2 km), Enter or Space sets
  //    the location there as a click would; the ward under the crosshair
  //    and the one chosen are announced in live regions.
  var svg = document.querySelector("svg.wardmap");
  var lat = document.getElementById("f-location-lat"), lon = document.getElementById("f-location-lon");
  var said = document.getElementById("map-ward");
  var near = document.getElementById("map-crosshair");
  if (svg && lat && lon) {
    var ns = "http://www.w3.org/2000/svg";
    var oLat = parseFloat(svg.dataset.originLat), oLon = parseFloat(svg.dataset.originLon);
    var sx = parseFloat(svg.dataset.scaleX), sy = parseFloat(svg.dataset.scaleY);
    var box = svg.viewBox.baseVal;
    // The projection's inverse (internal/wardmap): SVG units to degrees.
    var latOf = function (p) { return (oLat - p.y / sy).toFixed(5); };
    var lonOf = function (p) { return (oLon + p.x / sx).toFixed(5); };
    var wardAt = function (p) {
      var paths = svg.querySelectorAll("path[data-name]");
      for (var i = 0; i < paths.length; i++) {
        if (paths[i].isPointInFill({ x: p.x, y: p.y })) { return paths[i]; }
      }
      return null;
    };
    var place = function (p, path) {
      lat.value = latOf(p);
      lon.value = lonOf(p);
      var marker = svg.querySelector(".wardmap-marker");
      if (!marker) {
        marker = document.createElementNS(ns, "circle");
        marker.setAttribute("class", "wardmap-marker");
        marker.setAttribute("r", String(Math.max(Math.round(box.width / 150), 1)));
        marker.setAttribute("fill", "#b3261e");
        marker.setAttribute("stroke", "#ffffff");
        marker.setAttribute("stroke-width", "2");
        marker.setAttribute("vector-effect", "non-scaling-stroke");
        marker.setAttribute("pointer-events", "none");
        svg.insertBefore(marker, cross || null);
      }
      marker.setAttribute("cx", p.x.toFixed(1));
      marker.setAttribute("cy", p.y.toFixed(1));
      var prev = svg.querySelector("path[aria-current]");
      if (prev) { prev.removeAttribute("aria-current"); prev.removeAttribute("fill"); }
      if (path) {
        path.setAttribute("aria-current", "true");
        path.setAttribute("fill", "#f5d27a");
        if (ward) { ward.value = path.dataset.name; }
        said.textContent = said.dataset.label + " " + path.dataset.name + " (" + lat.value + ", " + lon.value + ")";
      } else {
        said.textContent = said.dataset.label + " " + lat.value + ", " + lon.value;
      }
    };
    svg.addEventListener("click", function (ev) {
      var p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM().inverse());
      place(p, ev.target.closest ? ev.target.closest("path[data-name]") : null);
    });

    // Each time the map takes the focus, the crosshair starts at the
    // location in the form, else in the ward named in the ward field, else
    // in the middle of the map.
    var at = null, cross = null;
    var start = function () {
      var la = parseFloat(lat.value.replace(",", ".")), lo = parseFloat(lon.value.replace(",", "."));
      if (isFinite(la) && isFinite(lo)) { return clamp({ x: (lo - oLon) * sx, y: (oLat - la) * sy }); }
      var paths = ward && ward.value ? svg.querySelectorAll("path[data-name]") : [];
      for (var i = 0; i < paths.length; i++) {
        if (paths[i].dataset.name === ward.value) { var b = paths[i].getBBox(); return { x: b.x + b.width / 2, y: b.y + b.height / 2 }; }
      }
      return { x: box.width / 2, y: box.height / 2 };
    };
    var clamp = function (p) {
      return { x: Math.min(Math.max(p.x, 0), box.width), y: Math.min(Math.max(p.y, 0), box.height) };
    };
    var line = function (colour, width, x1, y1, x2, y2) {
      var l = document.createElementNS(ns, "line");
      [["x1", x1], ["y1", y1], ["x2", x2], ["y2", y2], ["stroke", colour], ["stroke-width", width]].forEach(function (a) { l.setAttribute(a[0], String(a[1])); });
      l.setAttribute("vector-effect", "non-scaling-stroke");
      return l;
    };
    var drawCross = function () {
      if (!cross) {
        var arm = Math.max(box.width / 40, 2);
        cross = document.createElementNS(ns, "g");
        cross.setAttribute("class", "wardmap-crosshair");
        cross.setAttribute("pointer-events", "none");
        // A dark cross on a white halo, seen on every fill and border.
        [["#ffffff", 5], ["#1a1a1a", 2]].forEach(function (c) {
          cross.appendChild(line(c[0], c[1], -arm, 0, arm, 0));
          cross.appendChild(line(c[0], c[1], 0, -arm, 0, arm));
        });
        svg.appendChild(cross);
      }
      cross.setAttribute("transform", "translate(" + at.x.toFixed(1) + " " + at.y.toFixed(1) + ")");
      cross.setAttribute("visibility", "visible");
    };
    var announce = function () {
      if (!near) { return; }
      var path = wardAt(at);
      near.textContent = near.dataset.label + " " + (path ? path.dataset.name + " (" : "(") + latOf(at) + ", " + lonOf(at) + ")";
    };
    svg.setAttribute("tabindex", "0");
    svg.setAttribute("role", "application");
    if (near) { svg.setAttribute("aria-describedby", "map-keys"); }
    var show = function () {
      if (!at) { at = start(); }
      drawCross();
      announce();
    };
    // Only a keyboard focus shows the crosshair: a click sets the point.
    svg.addEventListener("focus", function () { if (svg.matches(":focus-visible")) { show(); } });
    svg.addEventListener("blur", function () {
      at = null;
      if (cross) { cross.setAttribute("visibility", "hidden"); }
    });
    svg.addEventListener("keydown", function (ev) {
      if (ev.altKey || ev.ctrlKey || ev.metaKey) { return; }
      var deg = ev.shiftKey ? 0.02 : 0.002;
      var m = { ArrowLeft: [-deg * sx, 0], ArrowRight: [deg * sx, 0], ArrowUp: [0, -deg * sy], ArrowDown: [0, deg * sy] }[ev.key];
      var set = ev.key === "Enter" || ev.key === " ";
      if (!m && !set) { return; }
      ev.preventDefault();
      if (!cross || cross.getAttribute("visibility") !== "visible") { show(); }
      if (set) {
        place(at, wardAt(at));
        return;
      }
      at = clamp({ x: at.x + m[0], y: at.y + m[1] });
      drawCross();
      announce();
    });
  }

  // 4. A form sent back with errors: the list of them takes the focus, so
  //    that a keyboard or screen reader user starts there, and each of its
  //    links moves the focus into its field (a fragment link alone only
  //    scrolls).
  //    A refused save over a colleague's focuses the comparison first,
  //    which comes before the list.
  var errors = document.getElementById("form-errors");
  var first = document.querySelector("section.conflict") || errors;
  if (first) {
    first.setAttribute("tabindex", "-1");
    first.focus();
  }
  if (errors) {
    errors.addEventListener("click", function (ev) {
      var a = ev.target.closest("a[href^='#']");
      var field = a ? document.getElementById(a.getAttribute("href").slice(1)) : null;
      if (!field) { return; }
      if (field.tagName === "FIELDSET") { field = field.querySelector("input, select, textarea") || field; }
      ev.preventDefault();
      field.focus();
    });
  }
})();
