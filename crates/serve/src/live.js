// zhize serve: reload this page when an edit changes it, and show build errors over it.
// Added by the server to every HTML page it serves; never part of a built site.
(function () {
  "use strict";
  var me = document.currentScript;
  var version = Number(me.getAttribute("data-version"));
  var path = me.getAttribute("data-path");
  var shown = null;

  function hide() {
    if (shown) {
      shown.remove();
      shown = null;
    }
  }

  // Text only: messages come from the user's files and must never become HTML.
  function overlay(errors) {
    hide();
    var box = document.createElement("div");
    box.id = "zhize-errors";
    box.setAttribute("role", "alert");
    box.style.cssText =
      "position:fixed;inset:0;z-index:99999;overflow:auto;background:rgba(20,20,20,.92);" +
      "color:#fff;font:14px/1.6 ui-monospace,monospace;padding:2em";
    var h = document.createElement("h2");
    h.textContent = "构建出错：页面显示的是上一次成功的版本（build failed; showing the last good build）";
    h.style.cssText = "color:#ff8a80;font-size:16px;margin:0 0 1em";
    box.appendChild(h);
    errors.forEach(function (e) {
      var p = document.createElement("pre");
      p.style.cssText = "white-space:pre-wrap;margin:0 0 1.2em";
      var where = e.file ? e.file + (e.pos ? ":" + e.pos.line + ":" + e.pos.col : "") + ": " : "";
      p.textContent = where + e.message + (e.hint ? "\n  hint: " + e.hint : "");
      box.appendChild(p);
    });
    document.body.appendChild(box);
    shown = box;
  }

  // Ask what changed since `version`: the server answers at once when something did, and
  // otherwise after a while with nothing new. The first question is about the version
  // before this page's, so that its answer comes at once and carries any current errors.
  function poll(since) {
    fetch("/__zhize/wait?since=" + since, { cache: "no-store" })
      .then(function (r) {
        return r.json();
      })
      .then(function (s) {
        var failed = s.errors && s.errors.length > 0;
        var recovered = shown !== null && !failed;
        if (failed) {
          overlay(s.errors);
        }
        if (s.version > version) {
          var mine = s.all || s.changed.indexOf(path) >= 0;
          version = s.version;
          if (!failed && (mine || recovered)) {
            location.reload();
            return;
          }
        }
        poll(version);
      })
      .catch(function () {
        // The server is restarting or has stopped: ask again in a while.
        setTimeout(function () {
          poll(version);
        }, 1500);
      });
  }
  poll(version - 1);
})();
