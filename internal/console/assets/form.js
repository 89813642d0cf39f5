// The entity form's two helpers; the form works without them.
// 1. The ward field suggests wards as one types, with or without
//    diacritics: an ARIA combobox over a listbox, filtered here from the
//    126 wards the console serves (folded: no diacritics, đ → d).
// 2. A click on the ward map sets the latitude and longitude (5 decimals)
//    and names the ward clicked; the server confirms it on save.
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

  var svg = document.querySelector("svg.wardmap");
  var lat = document.getElementById("f-location-lat"), lon = document.getElementById("f-location-lon");
  var said = document.getElementById("map-ward");
  if (svg && lat && lon) {
    var ns = "http://www.w3.org/2000/svg";
    svg.addEventListener("click", function (ev) {
      var p = new DOMPoint(ev.clientX, ev.clientY).matrixTransform(svg.getScreenCTM().inverse());
      lat.value = (parseFloat(svg.dataset.originLat) - p.y / parseFloat(svg.dataset.scaleY)).toFixed(5);
      lon.value = (parseFloat(svg.dataset.originLon) + p.x / parseFloat(svg.dataset.scaleX)).toFixed(5);
      var marker = svg.querySelector(".wardmap-marker");
      if (!marker) {
        marker = document.createElementNS(ns, "circle");
        marker.setAttribute("class", "wardmap-marker");
        marker.setAttribute("r", String(Math.max(Math.round(svg.viewBox.baseVal.width / 150), 1)));
        marker.setAttribute("fill", "#b3261e");
        marker.setAttribute("stroke", "#ffffff");
        marker.setAttribute("stroke-width", "2");
        marker.setAttribute("vector-effect", "non-scaling-stroke");
        svg.appendChild(marker);
      }
      marker.setAttribute("cx", p.x.toFixed(1));
      marker.setAttribute("cy", p.y.toFixed(1));
      var prev = svg.querySelector("path[aria-current]");
      if (prev) { prev.removeAttribute("aria-current"); prev.removeAttribute("fill"); }
      var path = ev.target.closest ? ev.target.closest("path[data-name]") : null;
      if (path) {
        path.setAttribute("aria-current", "true");
        path.setAttribute("fill", "#f5d27a");
        if (ward) { ward.value = path.dataset.name; }
        said.textContent = said.dataset.label + " " + path.dataset.name + " (" + lat.value + ", " + lon.value + ")";
      } else {
        said.textContent = said.dataset.label + " " + lat.value + ", " + lon.value;
      }
    });
  }
})();
