/* zhize: the 权责清单 and 廉政风险 views' tables sort by a click on a column head, and the
   print buttons print the page. Works from file:// and loads nothing. */
(function () {
  "use strict";
  var LEVELS = { high: 0, medium: 1, low: 2, other: 3 };
  function key(cell, how) {
    var k = cell.getAttribute("data-key");
    var t = (k !== null ? k : cell.textContent).trim();
    if (how === "level") return LEVELS.hasOwnProperty(t) ? LEVELS[t] : 9;
    if (how === "num") { var n = parseFloat(t); return isNaN(n) ? Infinity : n; }
    return t;
  }
  function sortBy(table, col, how, th) {
    var body = table.tBodies[0];
    if (!body) return;
    var asc = th.getAttribute("aria-sort") !== "ascending";
    var rows = Array.prototype.slice.call(body.rows);
    rows.sort(function (a, b) {
      var x = key(a.cells[col], how), y = key(b.cells[col], how);
      var c = typeof x === "number" && typeof y === "number" ? x - y : String(x).localeCompare(String(y), "zh-CN");
      return asc ? c : -c;
    });
    rows.forEach(function (r) { body.appendChild(r); });
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
    th.setAttribute("aria-sort", asc ? "ascending" : "descending");
  }
  Array.prototype.forEach.call(document.querySelectorAll("table.sortable"), function (table) {
    if (!table.tHead) return;
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, col) {
      var b = document.createElement("button");
      b.type = "button";
      b.className = "sort";
      while (th.firstChild) b.appendChild(th.firstChild);
      th.appendChild(b);
      b.addEventListener("click", function () { sortBy(table, col, th.getAttribute("data-sort"), th); });
    });
  });
  Array.prototype.forEach.call(document.querySelectorAll("[data-print]"), function (b) {
    b.addEventListener("click", function () { window.print(); });
  });
})();
