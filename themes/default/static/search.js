/* zhize search: "who handles what", answered in the browser from the static index.
 *
 * The index is a set of classic script files under search/ (loaded on demand, so search
 * works from a web server and from file://). The analyser and the ranking mirror
 * src/search/analyzer.rs and src/search/rank.rs line for line; tests/search_vectors.json
 * holds cases both must agree on. Nothing from the index is ever inserted as HTML. */
(function () {
  "use strict";

  var script = typeof document !== "undefined" ? document.currentScript : null;
  var ROOT = (script && script.getAttribute("data-root")) || "";
  var Z = (window.zhizeSearch = window.zhizeSearch || {});
  var state = { meta: null, t2s: {}, t2sLoaded: {}, terms: {}, docs: {}, waiting: {}, loading: {} };

  /* ---- loading shards as <script> files ---- */

  function fire(key) {
    var cbs = state.waiting[key] || [];
    state.waiting[key] = [];
    for (var i = 0; i < cbs.length; i++) cbs[i]();
  }

  function loaded(key) {
    if (key === "meta") return !!state.meta;
    if (key.charAt(0) === "s") return !!state.t2sLoaded[key.slice(1)];
    if (key.charAt(0) === "t") return !!state.terms[key.slice(1)];
    return !!state.docs[key.slice(1)];
  }

  function need(key, path, done) {
    if (loaded(key)) return done();
    (state.waiting[key] = state.waiting[key] || []).push(done);
    if (state.loading[key]) return;
    state.loading[key] = true;
    if (Z.loader) {
      // Outside a browser (the tests run this file in node), a loader evaluates the shard.
      Z.loader("search/" + path, function (ok) { if (!ok) { state.loading[key] = false; fire(key); } });
      return;
    }
    var s = document.createElement("script");
    s.src = ROOT + "search/" + path;
    s.async = true;
    s.onerror = function () {
      state.loading[key] = false;
      fire(key);
    };
    document.head.appendChild(s);
  }

  function needAll(items, done) {
    var left = items.length;
    if (!left) return done();
    for (var i = 0; i < items.length; i++) {
      need(items[i][0], items[i][1], function () {
        if (--left === 0) done();
      });
    }
  }

  Z.meta = function (m) { state.meta = m; fire("meta"); };
  /* VLQ strings (static_index.rs): 5 bits a character, low bits first, 32 = more follow. */
  var B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  var DIGIT = {};
  for (var b = 0; b < 64; b++) DIGIT[B64.charAt(b)] = b;
  function vlq(s) {
    var out = [];
    var v = 0;
    var shift = 0;
    for (var i = 0; i < s.length; i++) {
      var d = DIGIT[s.charAt(i)];
      v += (d & 31) * Math.pow(2, shift);
      if (d & 32) shift += 5;
      else { out.push(v); v = 0; shift = 0; }
    }
    return out;
  }

  /* Traditional code points as gaps of t2sShards from the shard's number; the simplified as
     zig-zagged distances from them. */
  Z.t2s = function (k, gaps, dists) {
    var g = vlq(gaps);
    var d = vlq(dists);
    var cp = k;
    for (var i = 0; i < g.length; i++) {
      cp += g[i] * state.meta.t2sShards;
      state.t2s[String.fromCodePoint(cp)] = String.fromCodePoint(cp + (d[i] & 1 ? -(d[i] + 1) / 2 : d[i] / 2));
    }
    state.t2sLoaded[k] = true;
    fire("s" + k);
  };

  /* Load the meta data, then the shards of the traditional → simplified table that the
     characters of `text` need. */
  function prepare(text, done) {
    need("meta", "meta.js", function () {
      var meta = state.meta;
      if (!meta) return done();
      var shards = {};
      for (var ch of text) {
        for (var n of ch.normalize("NFKC")) {
          for (var l of n.toLowerCase()) shards[l.codePointAt(0) % meta.t2sShards] = true;
        }
      }
      needAll(Object.keys(shards).map(function (k) { return ["s" + k, "s/" + k + ".js"]; }), done);
    });
  }
  /* A term shard: key hashes (gaps); document counts less one, times 5, plus the field of all
     the postings or 4; documents (first, then gaps less one); a field digit per posting of the
     tokens marked 4. Kept as key → [doc, field, doc, field, …]. */
  Z.terms = function (k, keys, counts, docs, fields) {
    var h = vlq(keys);
    var c = vlq(counts);
    var d = vlq(docs);
    var shard = {};
    var key = 0;
    var at = 0;
    var f = 0;
    for (var i = 0; i < h.length; i++) {
      key += h[i];
      var p = [];
      var doc = -1;
      var field = c[i] % 5;
      for (var j = 0; j <= (c[i] - field) / 5; j++, at++) {
        doc += d[at] + 1;
        p.push(doc, field < 4 ? field : fields.charCodeAt(f++) - 48);
      }
      shard[key] = p;
    }
    state.terms[k] = shard;
    fire("t" + k);
  };
  /* A document shard; a url is "" where it is the previous document's, "#…" where only the
     anchor differs. */
  Z.docs = function (k, arr) {
    var prev = "";
    arr.forEach(function (d) {
      if (d[2] === "") d[2] = prev;
      else if (d[2].charAt(0) === "#") d[2] = prev.split("#")[0] + d[2];
      prev = d[2];
    });
    state.docs[k] = arr;
    fire("d" + k);
  };

  /* ---- the analyser (mirrors analyzer.rs) ---- */

  function normalizeChar(c, t2s) {
    var out = "";
    var n = Array.from(c.normalize("NFKC"));
    for (var i = 0; i < n.length; i++) {
      var l = Array.from(n[i].toLowerCase());
      for (var j = 0; j < l.length; j++) out += (t2s && t2s[l[j]]) || l[j];
    }
    return out;
  }

  function normalize(text, t2s) {
    var out = "";
    var chars = Array.from(text);
    for (var i = 0; i < chars.length; i++) out += normalizeChar(chars[i], t2s);
    return out;
  }

  function isCjk(c) {
    var u = c.codePointAt(0);
    return (u >= 0x3400 && u <= 0x4dbf) || (u >= 0x4e00 && u <= 0x9fff) ||
      (u >= 0xf900 && u <= 0xfaff) || (u >= 0x20000 && u <= 0x2fa1f);
  }

  function isAsciiAlnum(c) {
    return /^[0-9A-Za-z]$/.test(c);
  }

  function isWordChar(c) {
    return isCjk(c) || isAsciiAlnum(c);
  }

  /* CJK bigrams (a lone character for a one-character run) and ASCII words. */
  function tokensOfNormalized(text) {
    var out = [];
    var chars = Array.from(text);
    var i = 0;
    while (i < chars.length) {
      var c = chars[i];
      var start = i;
      if (isCjk(c)) {
        while (i < chars.length && isCjk(chars[i])) i++;
        if (i - start === 1) out.push(chars[start]);
        else for (var k = start; k + 1 < i; k++) out.push(chars[k] + chars[k + 1]);
      } else if (isAsciiAlnum(c)) {
        while (i < chars.length && isAsciiAlnum(chars[i])) i++;
        out.push(chars.slice(start, i).join(""));
      } else {
        i++;
      }
    }
    return out;
  }

  function utf8len(s) {
    var n = 0;
    for (var ch of s) {
      var u = ch.codePointAt(0);
      n += u < 0x80 ? 1 : u < 0x800 ? 2 : u < 0x10000 ? 3 : 4;
    }
    return n;
  }

  /* A query: terms, each a list of alternatives, each a list of tokens. */
  function parseQuery(q, meta, t2s) {
    var text = normalize(q, t2s);
    var qw = meta.question;
    for (var i = 0; i < qw.length; i++) text = text.split(qw[i]).join(" ");
    var terms = [];
    var segments = [];
    var cur = "";
    for (var ch of text) {
      if (isWordChar(ch)) cur += ch;
      else { if (cur) segments.push(cur); cur = ""; }
    }
    if (cur) segments.push(cur);
    for (var s = 0; s < segments.length; s++) {
      var rest = segments[s];
      var found = [];
      for (var g = 0; g < meta.synonyms.length; g++) {
        var group = meta.synonyms[g];
        var best = null;
        for (var w = 0; w < group.length; w++) {
          // Longest by UTF-8 length; the last of equals, as Rust's max_by_key.
          if (rest.indexOf(group[w]) >= 0 && (best === null || utf8len(group[w]) >= utf8len(best))) best = group[w];
        }
        if (best !== null) {
          rest = rest.replace(best, " ");
          found.push(group);
        }
      }
      for (var f = 0; f < found.length; f++) {
        terms.push(found[f].map(function (word) { return tokensOfNormalized(word); }));
      }
      var parts = rest.split(" ");
      for (var p = 0; p < parts.length; p++) {
        if (!parts[p]) continue;
        var toks = tokensOfNormalized(parts[p]);
        for (var k = 0; k < toks.length; k++) {
          var dup = false;
          for (var e = 0; e < terms.length; e++) {
            var t = terms[e];
            if (t.length === 1 && t[0].length === 1 && t[0][0] === toks[k]) { dup = true; break; }
          }
          if (!dup) terms.push([[toks[k]]]);
        }
      }
    }
    return terms;
  }

  /* ---- ranking (mirrors rank.rs) ---- */

  /* Posting field codes (0 body, 1 department, 2 aliases, 3 title) as rank.rs masks. */
  var FIELD_MASK = [8, 4, 2, 1];

  function weight(mask) {
    return mask & 1 ? 8 : mask & 2 ? 6 : mask & 4 ? 3 : mask & 8 ? 1 : 0;
  }

  function idf(df, n) {
    return Math.log(1 + n / Math.max(df, 1));
  }

  function fnv(token) {
    var h = 0x811c9dc5;
    var bytes = new TextEncoder().encode(token);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
  }

  /* A token's key in its term shard (static_index::key_hash). */
  function keyHash(token, seed, bits) {
    var h = (0x811c9dc5 ^ seed) >>> 0;
    var bytes = new TextEncoder().encode(token);
    for (var i = 0; i < bytes.length; i++) {
      h ^= bytes[i];
      h = Math.imul(h, 0x01000193) >>> 0;
    }
    h ^= h >>> 16;
    h = Math.imul(h, 0x85ebca6b) >>> 0;
    h ^= h >>> 13;
    h = Math.imul(h, 0xc2b2ae35) >>> 0;
    h ^= h >>> 16;
    return h >>> (32 - bits);
  }

  function allTokens(terms) {
    var seen = {};
    var out = [];
    terms.forEach(function (t) { t.forEach(function (alt) { alt.forEach(function (tok) {
      if (!seen[tok]) { seen[tok] = true; out.push(tok); }
    }); }); });
    return out.sort();
  }

  /* Rank documents for parsed terms; calls back with [{doc, coverage, score}]. */
  function rank(terms, meta, done) {
    var tokens = allTokens(terms);
    var shards = {};
    tokens.forEach(function (t) { shards[fnv(t) % meta.termShards] = true; });
    var items = Object.keys(shards).map(function (k) { return ["t" + k, "t/" + k + ".js"]; });
    needAll(items, function () {
      var masks = {};
      var df = {};
      tokens.forEach(function (t) {
        var shard = state.terms[fnv(t) % meta.termShards] || {};
        var p = shard[keyHash(t, meta.seed, meta.keyBits)] || [];
        df[t] = p.length / 2;
        for (var i = 0; i < p.length; i += 2) (masks[p[i]] = masks[p[i]] || {})[t] = FIELD_MASK[p[i + 1]];
      });
      var ranked = [];
      Object.keys(masks).forEach(function (key) {
        var m = masks[key];
        var coverage = 0;
        var total = 0;
        terms.forEach(function (term) {
          var best = null;
          term.forEach(function (alt) {
            if (!alt.length) return;
            for (var i = 0; i < alt.length; i++) if (!m[alt[i]]) return;
            var s = 0;
            alt.forEach(function (t) { s += weight(m[t]) * idf(df[t], meta.docs); });
            best = best === null ? s : Math.max(best, s);
          });
          if (best !== null) { coverage++; total += best; }
        });
        if (coverage > 0) ranked.push({ doc: +key, coverage: coverage, score: total });
      });
      ranked.sort(function (a, b) {
        return b.coverage - a.coverage || b.score - a.score || a.doc - b.doc;
      });
      done(ranked);
    });
  }

  /* The snippet around the first match, with match ranges (mirrors rank::snippet). */
  function snippet(text, tokens, t2s, width) {
    var chars = Array.from(text);
    var norm = [];
    var owner = [];
    chars.forEach(function (c, i) {
      Array.from(normalizeChar(c, t2s)).forEach(function (n) { norm.push(n); owner.push(i); });
    });
    var spans = [];
    tokens.forEach(function (t) {
      var tc = Array.from(t);
      for (var s = 0; s + tc.length <= norm.length; s++) {
        var ok = true;
        for (var k = 0; k < tc.length; k++) if (norm[s + k] !== tc[k]) { ok = false; break; }
        if (ok) spans.push([owner[s], owner[s + tc.length - 1] + 1]);
      }
    });
    spans.sort(function (a, b) { return a[0] - b[0] || a[1] - b[1]; });
    var merged = [];
    spans.forEach(function (sp) {
      var last = merged[merged.length - 1];
      if (last && sp[0] <= last[1]) last[1] = Math.max(last[1], sp[1]);
      else merged.push([sp[0], sp[1]]);
    });
    var first = merged.length ? merged[0][0] : 0;
    var start = Math.max(0, first - Math.floor(width / 3));
    var end = Math.min(start + width, chars.length);
    start = Math.min(Math.max(0, end - width), start);
    var parts = [];
    var pos = start;
    merged.forEach(function (m) {
      if (m[0] < start || m[1] > end) return;
      if (m[0] > pos) parts.push([chars.slice(pos, m[0]).join(""), false]);
      parts.push([chars.slice(m[0], m[1]).join(""), true]);
      pos = m[1];
    });
    if (pos < end) parts.push([chars.slice(pos, end).join(""), false]);
    if (start > 0) parts.unshift(["…", false]);
    if (end < chars.length) parts.push(["…", false]);
    return parts;
  }

  /* Search: calls back with hits {kind, title, url, org, department, snippet parts}. */
  function search(q, limit, done) {
    prepare(q, function () {
      var meta = state.meta;
      if (!meta) return done([], "index missing");
      var terms = parseQuery(q, meta, state.t2s);
      if (!terms.length) return done([]);
      rank(terms, meta, function (ranked) {
        var top = ranked.slice(0, limit);
        var shards = {};
        top.forEach(function (r) { shards[Math.floor(r.doc / meta.docsPerShard)] = true; });
        var items = Object.keys(shards).map(function (k) { return ["d" + k, "d/" + k + ".js"]; });
        needAll(items, function () {
          var tokens = allTokens(terms);
          var found = top.map(function (r) {
            var shard = state.docs[Math.floor(r.doc / meta.docsPerShard)] || [];
            // [kind, title, url, who, text (left out where it is the title)]
            var d = shard[r.doc % meta.docsPerShard] || [8, "", "", -1];
            var who = meta.who[d[3]] || ["", ""];
            return {
              r: r, kind: meta.kinds[d[0]], title: d[1], url: d[2], org: who[0], department: who[1],
              text: d.length > 4 ? d[4] : d[1]
            };
          });
          // The snippets' own characters may need more of the traditional → simplified table.
          prepare(found.map(function (f) { return f.text; }).join(""), function () {
            done(found.map(function (f) {
              return {
                kind: f.kind, title: f.title, url: f.url, org: f.org, department: f.department,
                snippet: snippet(f.text, tokens, state.t2s, 60), score: f.r.score, coverage: f.r.coverage
              };
            }));
          });
        });
      });
    });
  }

  Z.search = search;
  Z.analyze = function (text, done) {
    prepare(text, function () {
      var n = normalize(text, state.t2s);
      done({ normalized: n, tokens: tokensOfNormalized(n), query: parseQuery(text, state.meta, state.t2s) });
    });
  };
  /* For tests that run without a DOM: the analyser with an explicit table and meta. */
  Z._pure = { normalize: normalize, tokensOfNormalized: tokensOfNormalized, parseQuery: parseQuery, fnv: fnv };
  Z._state = state;

  /* ---- the search box ---- */

  var KINDS = {
    department: "科室", duty: "职责", post: "岗位", procedure: "工作流程", step: "流程步骤",
    form: "表单", contact: "联系人", external: "外部单位", page: "页面"
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  function show(box, hits, q) {
    box.textContent = "";
    if (!q) { box.hidden = true; return; }
    box.hidden = false;
    if (!hits.length) {
      box.appendChild(el("p", "search-empty", "没有找到“" + q + "”。试试更短的词，或换一个说法。"));
      return;
    }
    var order = [];
    var groups = {};
    hits.forEach(function (h) {
      if (!groups[h.kind]) { groups[h.kind] = []; order.push(h.kind); }
      groups[h.kind].push(h);
    });
    order.forEach(function (kind) {
      var sec = el("section", "search-group");
      sec.appendChild(el("h2", null, KINDS[kind] || kind));
      var ul = el("ul");
      groups[kind].forEach(function (h) {
        var li = el("li", "search-hit");
        var a = el("a", null, h.title);
        a.href = ROOT + h.url;
        li.appendChild(a);
        var who = h.department ? h.department + " · " + h.org : h.org;
        if (who) li.appendChild(el("span", "search-who", who));
        var p = el("p", "search-snippet");
        h.snippet.forEach(function (part) {
          p.appendChild(part[1] ? el("mark", null, part[0]) : document.createTextNode(part[0]));
        });
        li.appendChild(p);
        ul.appendChild(li);
      });
      sec.appendChild(ul);
      box.appendChild(sec);
    });
  }

  function setup() {
    var form = document.getElementById("zhize-search");
    var input = document.getElementById("zhize-q");
    var box = document.getElementById("zhize-results");
    if (!form || !input || !box) return;
    form.hidden = false;
    var timer = null;
    var seq = 0;
    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      if (!q) return show(box, [], "");
      search(q, 20, function (hits) { if (mine === seq) show(box, hits, q); });
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    form.addEventListener("submit", function (e) { e.preventDefault(); run(); });
    input.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { input.value = ""; show(box, [], ""); }
    });
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
    });
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
    else setup();
  }
})();
