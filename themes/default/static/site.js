/* zhize default theme: the phone menu, the dark/light toggle (remembered), the print button,
   heading anchors on long pages and the matrix's column chooser. No network, no libraries;
   every page works without it (early.js, in <head>, adds class "js" so that these controls
   show only where this file runs). */
(function () {
  "use strict";
  var root = document.documentElement;

  function remember(key, value) {
    try { localStorage.setItem(key, value); } catch (e) { /* file:// or private mode */ }
  }

  /* ---- Menu button: opens the navigation on narrow screens ---- */
  var menu = document.querySelector(".menu-toggle");
  var nav = document.getElementById("site-nav");
  if (menu && nav) {
    menu.addEventListener("click", function () {
      var open = !nav.classList.contains("open");
      nav.classList.toggle("open", open);
      menu.setAttribute("aria-expanded", open ? "true" : "false");
      if (open) {
        var first = nav.querySelector("a");
        if (first) first.focus();
      }
    });
    document.addEventListener("keydown", function (e) {
      if (e.key === "Escape" && nav.classList.contains("open")) {
        menu.click();
        menu.focus();
      }
    });
  }

  /* ---- Dark mode: follows the system until chosen, then remembered ---- */
  var toggle = document.querySelector(".theme-toggle");
  function isDark() {
    var t = root.getAttribute("data-theme");
    if (t) return t === "dark";
    return !!(window.matchMedia && window.matchMedia("(prefers-color-scheme: dark)").matches);
  }
  function showTheme() {
    if (!toggle) return;
    var dark = isDark();
    toggle.setAttribute("aria-pressed", dark ? "true" : "false");
    toggle.textContent = dark ? "浅色" : "深色";
    toggle.title = dark ? "改用浅色显示" : "改用深色显示";
  }
  if (toggle) {
    toggle.addEventListener("click", function () {
      var next = isDark() ? "light" : "dark";
      root.setAttribute("data-theme", next);
      remember("zhize-theme", next);
      showTheme();
    });
    showTheme();
  }

  /* ---- Print button ---- */
  document.querySelectorAll(".print-btn").forEach(function (b) {
    b.addEventListener("click", function () { window.print(); });
  });

  /* ---- Heading anchors on the sections of long pages ---- */
  document.querySelectorAll("main section[id] > h2").forEach(function (h) {
    if (h.querySelector(".heading-anchor")) return;
    var id = h.parentElement.id;
    var a = document.createElement("a");
    a.className = "heading-anchor";
    a.href = "#" + id;
    a.setAttribute("aria-label", "本节链接：" + h.textContent);
    a.textContent = "#";
    h.appendChild(a);
  });

  /* ---- A box that scrolls sideways and holds nothing to focus can be reached with the
     keyboard (tabindex), so that it can be scrolled without a mouse ---- */
  function focusableScrollers() {
    document.querySelectorAll("main table, main .figure-scroll, main figure.chart").forEach(function (el) {
      var style = getComputedStyle(el);
      var scrolls = (style.overflowX === "auto" || style.overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1;
      if (!scrolls || el.hasAttribute("tabindex")) return;
      if (el.querySelector("a[href], button, input, select, textarea, [tabindex]")) return;
      el.setAttribute("tabindex", "0");
      el.classList.add("kbd-scroll");
    });
  }
  focusableScrollers();
  window.addEventListener("resize", focusableScrollers);

  /* ---- Matrix: choose the columns shown (remembered per organisation) ---- */
  document.querySelectorAll("table.matrix").forEach(function (table, ti) {
    var heads = table.querySelectorAll("thead th.col-dept, thead th.col-post");
    if (heads.length < 4) return;
    var key = "zhize-cols-" + location.pathname.replace(/[^/]*$/, "") + ti;
    var hidden = {};
    try { hidden = JSON.parse(localStorage.getItem(key) || "{}") || {}; } catch (e) { hidden = {}; }
    var box = document.createElement("details");
    box.className = "col-chooser";
    var sum = document.createElement("summary");
    sum.textContent = "选择显示的列";
    box.appendChild(sum);
    var fs = document.createElement("fieldset");
    var lg = document.createElement("legend");
    lg.className = "visually-hidden";
    lg.textContent = "显示哪些列";
    fs.appendChild(lg);
    function apply() {
      heads.forEach(function (th, i) {
        var col = th.cellIndex;
        var off = !!hidden[th.textContent.trim()];
        table.querySelectorAll("tr").forEach(function (tr) {
          var cell = tr.children[col];
          if (cell) cell.classList.toggle("col-off", off);
        });
        var cb = fs.querySelectorAll("input")[i];
        if (cb) cb.checked = !off;
      });
    }
    heads.forEach(function (th) {
      var name = th.textContent.trim();
      var label = document.createElement("label");
      var cb = document.createElement("input");
      cb.type = "checkbox";
      cb.addEventListener("change", function () {
        if (cb.checked) delete hidden[name]; else hidden[name] = 1;
        remember(key, JSON.stringify(hidden));
        apply();
      });
      label.appendChild(cb);
      label.appendChild(document.createTextNode(" " + name));
      fs.appendChild(label);
    });
    var all = document.createElement("button");
    all.type = "button";
    all.textContent = "全部显示";
    all.addEventListener("click", function () { hidden = {}; remember(key, "{}"); apply(); });
    fs.appendChild(all);
    box.appendChild(fs);
    var wrap = table.closest(".matrix-wrap") || table;
    wrap.parentNode.insertBefore(box, wrap);
    apply();
  });
})();
