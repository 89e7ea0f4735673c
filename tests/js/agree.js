// Runs the site's search.js outside a browser and prints what it computes, so that the Rust
// tests can compare it with the Rust analyser and ranking (tests/search_js.rs).
// usage: node agree.js <site output dir> <request.json>
"use strict";
const fs = require("fs");
const path = require("path");
const [out, requestFile] = process.argv.slice(2);
const request = JSON.parse(fs.readFileSync(requestFile, "utf8"));

globalThis.window = globalThis;
const Z = (globalThis.zhizeSearch = {});
Z.loader = (rel, done) => {
  const file = path.join(out, rel);
  if (!fs.existsSync(file)) return done(false);
  // The shard calls zhizeSearch.terms/docs/meta/t2s, exactly as in the browser.
  new Function(fs.readFileSync(file, "utf8"))();
  done(true);
};
new Function(fs.readFileSync(path.join(out, "static/search.js"), "utf8"))();

const result = { vectors: [], queries: [] };
let pending = 1;
function finish() {
  if (--pending === 0) process.stdout.write(JSON.stringify(result));
}
for (const input of request.vectors) {
  pending++;
  Z.analyze(input, (a) => {
    result.vectors.push({ input, normalized: a.normalized, tokens: a.tokens, terms: a.query });
    finish();
  });
}
for (const q of request.queries) {
  pending++;
  Z.search(q, 5, (hits) => {
    result.queries.push({ q, hits: hits.map((h) => ({ url: h.url, department: h.department })) });
    finish();
  });
}
// Probes: every hit (up to 5000) with its kind, title, url and snippet text.
result.probes = [];
for (const q of request.probes || []) {
  pending++;
  Z.search(q, 5000, (hits) => {
    result.probes.push({
      q,
      hits: hits.map((h) => ({
        kind: h.kind, title: h.title, url: h.url, department: h.department,
        snippet: h.snippet.map((p) => p[0]).join(""),
      })),
    });
    finish();
  });
}
finish();
