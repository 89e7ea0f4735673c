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
  var state = { meta: null, t2s: {}, t2sLoaded: {}, th: {}, py: {}, thLoaded: {}, terms: {}, docs: {}, docWho: null, waiting: {}, loading: {} };

  /* ---- loading shards as <script> files ---- */

  function fire(key) {
    var cbs = state.waiting[key] || [];
    state.waiting[key] = [];
    for (var i = 0; i < cbs.length; i++) cbs[i]();
  }

  function loaded(key) {
    if (key === "meta") return !!state.meta;
    if (key.charAt(0) === "s") return !!state.t2sLoaded[key.slice(1)];
    if (key.charAt(0) === "h") return !!state.thLoaded[key.slice(1)];
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

  /* Traditional code points as gaps of `shards` from the shard's number; the simplified as
     zig-zagged distances from them. */
  function addT2s(k, shards, gaps, dists) {
    var g = vlq(gaps || "");
    var d = vlq(dists || "");
    var cp = k;
    for (var i = 0; i < g.length; i++) {
      cp += g[i] * shards;
      state.t2s[String.fromCodePoint(cp)] = String.fromCodePoint(cp + (d[i] & 1 ? -(d[i] + 1) / 2 : d[i] / 2));
    }
  }
  Z.t2s = function (k, gaps, dists) {
    addT2s(k, state.meta.t2sShards, gaps, dists);
    state.t2sLoaded[k] = true;
    fire("s" + k);
  };

  /* A thesaurus shard, for the characters of code point k modulo the shard count: the
     everyday phrases starting with one → their official terms, their pinyin, and their
     simplified forms. */
  Z.th = function (k, map, sounds, gaps, dists) {
    state.th[k] = map;
    state.py[k] = sounds ? sounds.split(" ") : [];
    addT2s(k, state.meta.thesaurusShards, gaps, dists);
    state.thLoaded[k] = true;
    fire("h" + k);
  };

  /* The keys (`prefix` and number) of the shards, of `count`, that the characters of `text`
     after NFKC and lower case fall in, each once. */
  function shardKeys(text, count, prefix) {
    var keys = {};
    for (var ch of text) {
      for (var n of ch.normalize("NFKC")) {
        for (var l of n.toLowerCase()) keys[prefix + (l.codePointAt(0) % count)] = true;
      }
    }
    return keys;
  }
  function needShards(keys, dir, done) {
    needAll(Object.keys(keys).map(function (k) { return [k, dir + k.slice(1) + ".js"]; }), done);
  }

  /* What a query needs before it is parsed: the meta, then the thesaurus shards of its
     characters (which hold their simplified forms), then those of its normalised characters
     where they differ. */
  function prepareQuery(q, done) {
    need("meta", "meta.js", function () {
      var meta = state.meta;
      if (!meta || !meta.thesaurusShards) return done();
      needShards(shardKeys(q, meta.thesaurusShards, "h"), "th/", function () {
        needShards(shardKeys(normalize(q, state.t2s), meta.thesaurusShards, "h"), "th/", done);
      });
    });
  }

  /* The shards of the traditional → simplified table that the characters of `text` need (to
     highlight a snippet in traditional characters). */
  function prepareT2s(text, done) {
    needShards(shardKeys(text, state.meta.t2sShards, "s"), "s/", done);
  }

  /* Whether document `doc`'s snippet needs the traditional → simplified table. */
  function traditional(meta, doc) {
    if (!state.traditional) {
      var r = vlq(meta.traditional || "");
      var set = {};
      var at = 0;
      for (var i = 0; i + 1 < r.length; i += 2) {
        if (r[i]) for (var j = 0; j < r[i + 1]; j++) set[at + j] = true;
        at += r[i + 1];
      }
      state.traditional = set;
    }
    return !!state.traditional[doc];
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

  /* A query (mirrors Analyzer::query): {terms, orgs}. Each term is a list of alternatives
     {tokens, weight}; orgs are the organisations the question names. */
  function parseQuery(q, meta, t2s, th) {
    var text = normalize(q, t2s);
    var qw = meta.question;
    for (var i = 0; i < qw.length; i++) if (text.indexOf(qw[i]) >= 0) text = text.split(qw[i]).join(" ");
    var orgs = [];
    (meta.orgs || []).forEach(function (o) {
      for (var n = 0; n < o[1].length; n++) {
        if (text.indexOf(o[1][n]) >= 0) {
          text = text.split(o[1][n]).join(" ");
          orgs.push(o[0]);
          return;
        }
      }
    });
    var synonymOf = {};
    meta.synonyms.forEach(function (g, gi) { g.forEach(function (w) { synonymOf[w] = gi; }); });
    var terms = [];
    var functionTerms = [];
    var keyOf = function (term) { return JSON.stringify(term); };
    var push = function (list, term) {
      if (!term.length) return;
      var k = keyOf(term);
      for (var e = 0; e < list.length; e++) if (keyOf(list[e]) === k) return;
      list.push(term);
    };
    var plain = function (part) {
      tokensOfNormalized(part).forEach(function (t) {
        var fn = false;
        for (var c of t) if ((meta.functionChars || "").indexOf(c) >= 0) fn = true;
        var alts = [{ tokens: [t], weight: 1 }];
        var sound = pinyinBigram(t, meta);
        if (sound) alts.push({ tokens: [sound], weight: PINYIN_WEIGHT, names: true });
        push(fn ? functionTerms : terms, alts);
      });
    };
    var segments = [];
    var cur = "";
    for (var ch of text) {
      if (isWordChar(ch)) cur += ch;
      else { if (cur) segments.push(cur); cur = ""; }
    }
    if (cur) segments.push(cur);
    segments.forEach(function (seg) {
      var chars = Array.from(seg);
      var from = 0;
      var at = 0;
      while (at < chars.length) {
        var ph = phraseAt(chars, at, meta, th || state.th, synonymOf);
        if (ph && longerInside(chars, at, ph.end, meta, th || state.th, synonymOf)) ph = null;
        if (!ph) { at++; continue; }
        plain(chars.slice(from, at).join(""));
        push(terms, ph.term);
        at = ph.end;
        from = ph.end;
      }
      plain(chars.slice(from).join(""));
    });
    if (!terms.length) terms = functionTerms;
    return { terms: terms, orgs: orgs };
  }

  /* Does a longer phrase start inside chars[at..end) and reach past it (mirrors
     Analyzer::longer_inside)? */
  function longerInside(chars, at, end, meta, th, synonymOf) {
    for (var j = at + 1; j < end; j++) {
      var p = phraseAt(chars, j, meta, th, synonymOf);
      if (p && p.end > end && p.end - j > end - at) return true;
    }
    return false;
  }

  /* The longest synonym or everyday phrase at `at` (mirrors Analyzer::phrase_at). */
  function phraseAt(chars, at, meta, th, synonymOf) {
    var rest = chars.slice(at).join("");
    var syn = null;
    meta.synonyms.forEach(function (g) {
      g.forEach(function (w) {
        // Longest by UTF-8 length; the last of equals, as Rust's max_by_key.
        if (rest.indexOf(w) === 0 && (syn === null || utf8len(w) >= utf8len(syn))) syn = w;
      });
    });
    var synEnd = syn === null ? -1 : at + Array.from(syn).length;
    var thEnd = -1;
    var officials = null;
    var shard = th[chars[at].codePointAt(0) % (meta.thesaurusShards || 1)] || {};
    var longest = Math.min(meta.thesaurusLongest || 0, chars.length - at);
    for (var len = longest; len >= 1; len--) {
      var p = chars.slice(at, at + len).join("");
      if (Object.prototype.hasOwnProperty.call(shard, p)) { thEnd = at + len; officials = shard[p]; break; }
    }
    var exact = Math.max(synEnd, thEnd);
    var gapped = gappedAt(chars, at, meta, shard);
    if (gapped && Array.from(gapped.phrase).length > Math.max(exact - at, 0)) {
      var galts = [{ tokens: tokensOfNormalized(gapped.phrase), weight: GAPPED_WEIGHT }];
      gapped.officials.forEach(function (o) { galts.push({ tokens: tokensOfNormalized(o), weight: GAPPED_WEIGHT * OFFICIAL_WEIGHT }); });
      return { end: gapped.end, term: dedupAlts(galts) };
    }
    var end = exact;
    if (end < 0) return null;
    var phrase = chars.slice(at, end).join("");
    var alts = [{ tokens: tokensOfNormalized(phrase), weight: 1 }];
    if (Object.prototype.hasOwnProperty.call(synonymOf, phrase)) {
      meta.synonyms[synonymOf[phrase]].forEach(function (w) { alts.push({ tokens: tokensOfNormalized(w), weight: 1 }); });
    }
    if (officials && thEnd === end) {
      officials.forEach(function (o) { alts.push({ tokens: tokensOfNormalized(o), weight: OFFICIAL_WEIGHT }); });
    }
    return { end: end, term: dedupAlts(alts) };
  }

  /* Alternatives without repeats or empty ones, first kept (mirrors analyzer::dedup_alts). */
  function dedupAlts(alts) {
    var seen = {};
    return alts.filter(function (a) {
      var k = JSON.stringify(a.tokens);
      var fresh = a.tokens.length > 0 && !seen[k];
      seen[k] = true;
      return fresh;
    });
  }

  /* The longest everyday phrase at `at` written with one gap character inside it (mirrors
     Thesaurus::gapped_at): longest span first, the gap nearest the start first. */
  function gappedAt(chars, at, meta, shard) {
    var gaps = meta.gapChars || "";
    var most = Math.min((meta.thesaurusLongest || 0) + 1, chars.length - at);
    for (var m = most; m >= 3; m--) {
      for (var gap = 1; gap < m - 1; gap++) {
        if (gaps.indexOf(chars[at + gap]) < 0) continue;
        var p = chars.slice(at, at + gap).join("") + chars.slice(at + gap + 1, at + m).join("");
        if (Object.prototype.hasOwnProperty.call(shard, p)) return { end: at + m, phrase: p, officials: shard[p] };
      }
    }
    return null;
  }

  /* The pinyin of a character of the CJK Unified Ideographs block from the loaded thesaurus
     shard of its code point (mirrors analyzer::pinyin_of), and of a two-character token. */
  var PINYIN_START = 0x4E00;
  var PINYIN_END = 0xA000;
  function pinyinOf(ch, meta) {
    var cp = ch.codePointAt(0);
    var n = meta.thesaurusShards || 0;
    if (!n || cp < PINYIN_START || cp >= PINYIN_END) return "";
    var k = cp % n;
    var start = PINYIN_START + (k + n - PINYIN_START % n) % n;
    var list = state.py[k] || [];
    return list[(cp - start) / n] || "";
  }
  function pinyinBigram(t, meta) {
    var cs = Array.from(t);
    if (cs.length !== 2) return "";
    var a = pinyinOf(cs[0], meta);
    var b = pinyinOf(cs[1], meta);
    return a && b ? a + b : "";
  }

  var OFFICIAL_WEIGHT = 0.7;
  var PINYIN_WEIGHT = 0.5;
  var GAPPED_WEIGHT = 0.9;

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
    terms.forEach(function (t) { t.forEach(function (alt) { alt.tokens.forEach(function (tok) {
      if (!seen[tok]) { seen[tok] = true; out.push(tok); }
    }); }); });
    return out.sort();
  }

  /* Each document's index into meta.who, decoded once from its runs. */
  function docWho(meta) {
    if (state.docWho) return state.docWho;
    var r = vlq(meta.docWho || "");
    var out = [];
    for (var i = 0; i + 1 < r.length; i += 2) for (var j = 0; j < r[i + 1]; j++) out.push(r[i]);
    return (state.docWho = out);
  }

  var LOOSE_PAGE_WEIGHT = 0.5;
  var INCOMPLETE_WEIGHT = 0.5;
  var AGGREGATE = 0.3;

  /* Rank documents for a parsed query (mirrors rank::key, rank::aggregate, rank::order and
     rank::departments_first); calls back with [{doc, coverage, score}]. */
  function rank(query, meta, done) {
    var terms = query.terms;
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
      var whoOf = docWho(meta);
      var incomplete = {};
      (meta.incomplete || []).forEach(function (i) { incomplete[i] = true; });
      var ranked = [];
      Object.keys(masks).forEach(function (key) {
        var m = masks[key];
        var coverage = 0;
        var total = 0;
        terms.forEach(function (term) {
          var best = null;
          term.forEach(function (alt) {
            var toks = alt.tokens;
            if (!toks.length) return;
            /* Long alternatives need their first and last tokens, weighed by the share found
               (mirrors Alt::required and rank::score). */
            /* A bigram's sound matches only in a name: title or aliases (mirrors Alt::names). */
            var fields = alt.names ? 3 : 15;
            var required = toks.length >= 3 ? [toks[0], toks[toks.length - 1]] : toks;
            for (var i = 0; i < required.length; i++) if (!(m[required[i]] & fields)) return;
            var present = toks.filter(function (t) { return m[t] & fields; });
            var s = 0;
            present.forEach(function (t) { s += weight(m[t] & fields) * idf(df[t], meta.docs); });
            s = alt.weight * (present.length / toks.length) * s;
            best = best === null ? s : Math.max(best, s);
          });
          if (best !== null) { coverage++; total += best; }
        });
        if (coverage === 0) return;
        total *= coverage / Math.max(terms.length, 1);
        var w = whoOf[+key];
        var who = meta.who[w] || ["", ""];
        if (who[0] === "") total *= LOOSE_PAGE_WEIGHT;
        if (incomplete[key]) total *= INCOMPLETE_WEIGHT;
        var org = meta.whoOrg ? meta.whoOrg[w] : -1;
        var inScope = org >= 0 && query.orgs.indexOf(meta.orgs[org][0]) >= 0;
        ranked.push({ doc: +key, coverage: coverage, score: total, inScope: inScope, w: w, who: who });
      });
      aggregate(ranked);
      ranked.sort(function (a, b) {
        return (b.inScope - a.inScope) || b.score - a.score || a.doc - b.doc;
      });
      done(departmentsFirst(ranked));
    });
  }

  /* Each hit of a department gains a share of the best four scores of its department's hits
     at the same coverage, its own taken out when among them (mirrors rank::aggregate). */
  function aggregate(ranked) {
    var groups = {};
    ranked.forEach(function (r) {
      if (!r.who[1]) return;
      var k = r.who[0] + "\u0000" + r.who[1] + "\u0000" + r.coverage;
      (groups[k] = groups[k] || []).push(r.score);
    });
    Object.keys(groups).forEach(function (k) { groups[k].sort(function (a, b) { return b - a; }); });
    ranked.forEach(function (r) {
      if (!r.who[1]) return;
      var v = groups[r.who[0] + "\u0000" + r.who[1] + "\u0000" + r.coverage];
      var top = v.slice(0, 4);
      var others = 0;
      top.forEach(function (x) { others += x; });
      if (r.score >= top[top.length - 1]) others -= r.score;
      r.score += AGGREGATE * Math.max(others, 0);
    });
  }

  /* Each department's best hit first, then the rest, each in order. */
  function departmentsFirst(ranked) {
    var seen = {};
    var first = [];
    var rest = [];
    ranked.forEach(function (r) {
      var k = r.who[0] + "\u0000" + r.who[1];
      if (!r.who[1] || !seen[k]) { seen[k] = true; first.push(r); } else rest.push(r);
    });
    return first.concat(rest);
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
    prepareQuery(q, function () {
      var meta = state.meta;
      if (!meta) return done([], "index missing");
      var query = parseQuery(q, meta, state.t2s);
      var terms = query.terms;
      if (!terms.length) return done([]);
      rank(query, meta, function (ranked) {
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
          // Snippets in traditional characters need the traditional → simplified table.
          var trad = found.filter(function (f) { return traditional(meta, f.r.doc); });
          prepareT2s(trad.map(function (f) { return f.text; }).join(""), function () {
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
    prepareQuery(text, function () {
      var n = normalize(text, state.t2s);
      done({ normalized: n, tokens: tokensOfNormalized(n), query: parseQuery(text, state.meta, state.t2s).terms });
    });
  };
  /* For tests that run without a DOM: the analyser with an explicit table and meta. */
  Z._pure = { normalize: normalize, tokensOfNormalized: tokensOfNormalized, parseQuery: parseQuery, fnv: fnv };
  Z._state = state;

  /* ---- the search box ---- */

  var KINDS = {
    department: "科室", duty: "职责", post: "岗位", procedure: "工作流程", step: "流程步骤",
    form: "表单", contact: "联系人", external: "外部单位", page: "页面", power: "权责事项"
  };

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  /* Hits grouped under their department (or organisation, or 其他页面), the groups in the
     order of their best hit, so the best hit stays first; each hit says its kind. */
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
      var who = h.department ? h.department + " · " + h.org : (h.org || "其他页面");
      if (!groups[who]) { groups[who] = []; order.push(who); }
      groups[who].push(h);
    });
    order.forEach(function (who) {
      var sec = el("section", "search-group");
      sec.appendChild(el("h2", null, who));
      var ul = el("ul");
      groups[who].forEach(function (h) {
        var li = el("li", "search-hit");
        li.setAttribute("data-who", who);
        li.appendChild(el("span", "search-kind", KINDS[h.kind] || h.kind));
        var a = el("a", null, h.title);
        a.href = ROOT + h.url;
        li.appendChild(a);
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

  /* The query in the address (?q=…), so that a result list can be shared; a file:// page
     that refuses history changes simply keeps its address. */
  function remember(q) {
    try {
      var url = new URL(window.location.href);
      if (q) url.searchParams.set("q", q); else url.searchParams.delete("q");
      window.history.replaceState(null, "", url.toString());
    } catch (e) { /* not allowed here: nothing to remember */ }
  }

  function setup() {
    var form = document.getElementById("zhize-search");
    var input = document.getElementById("zhize-q");
    var box = document.getElementById("zhize-results");
    if (!form || !input || !box) return;
    form.hidden = false;
    var timer = null;
    var seq = 0;
    var shown = "";
    function run() {
      var q = input.value.trim();
      var mine = ++seq;
      remember(q);
      if (!q) { shown = ""; return show(box, [], ""); }
      search(q, 20, function (hits) {
        if (mine !== seq) return;
        shown = q;
        show(box, hits, q);
      });
    }
    function links() { return Array.prototype.slice.call(box.querySelectorAll(".search-hit a")); }
    function close() {
      input.value = "";
      run();
      input.focus();
    }
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(run, 120);
    });
    /* Enter opens the first hit of the results shown for this very text; otherwise it
       searches at once. */
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var first = links()[0];
      if (first && shown === input.value.trim()) window.location.href = first.href;
      else { clearTimeout(timer); run(); }
    });
    /* Arrow keys move from the box through the hits and back; Enter on a hit opens it (it
       is a link); Esc closes the results from anywhere in them. */
    function onKey(e) {
      var all = links();
      var at = all.indexOf(document.activeElement);
      if (e.key === "Escape") { e.preventDefault(); close(); return; }
      if (e.key === "ArrowDown" && all.length) {
        e.preventDefault();
        all[Math.min(at + 1, all.length - 1)].focus();
      } else if (e.key === "ArrowUp" && at >= 0) {
        e.preventDefault();
        if (at === 0) input.focus(); else all[at - 1].focus();
      }
    }
    input.addEventListener("keydown", onKey);
    box.addEventListener("keydown", onKey);
    document.addEventListener("keydown", function (e) {
      var t = e.target;
      var typing = t && (t.tagName === "INPUT" || t.tagName === "TEXTAREA" || t.isContentEditable);
      if (e.key === "/" && !typing) { e.preventDefault(); input.focus(); }
    });
    var asked = null;
    try { asked = new URL(window.location.href).searchParams.get("q"); } catch (e) { asked = null; }
    if (asked) { input.value = asked; run(); }
  }

  if (typeof document !== "undefined") {
    if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", setup);
    else setup();
  }
})();
