/* zhize default theme, loaded in <head> before the page is drawn: marks <html> with class
   "js" (so that the controls of site.js take their place without a layout shift) and applies
   the remembered dark/light choice (so that a dark page never flashes light). */
(function (h) {
  h.classList.add("js");
  try {
    var t = localStorage.getItem("zhize-theme");
    if (t === "dark" || t === "light") h.setAttribute("data-theme", t);
  } catch (e) { /* file:// or private mode: follow the system */ }
})(document.documentElement);
