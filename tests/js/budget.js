// Search budgets measured in node's V8 (the engine of Chromium): bytes a cold first query
// loads, and the time of warm queries. usage: node budget.js <site output dir> <queries.json>
"use strict";
const fs = require("fs");
const path = require("path");
const zlib = require("zlib");
const [out, queriesFile] = process.argv.slice(2);
const queries = JSON.parse(fs.readFileSync(queriesFile, "utf8")).map((c) => c.q);

globalThis.window = globalThis;
const Z = (globalThis.zhizeSearch = {});
let loaded = [];
Z.loader = (rel, done) => {
  const file = path.join(out, rel);
  if (!fs.existsSync(file)) return done(false);
  loaded.push(file);
  new Function(fs.readFileSync(file, "utf8"))();
  done(true);
};
const engine = path.join(out, "static/search.js");
new Function(fs.readFileSync(engine, "utf8"))();
const gz = (f) => zlib.gzipSync(fs.readFileSync(f), { level: 9 }).length;

// Cold: a fresh engine per query; count the gzipped bytes of the engine and every file loaded.
const cold = [];
for (const q of queries) {
  loaded = [];
  delete require.cache;
  const fresh = (globalThis.zhizeSearch = {});
  fresh.loader = Z.loader;
  new Function(fs.readFileSync(engine, "utf8"))();
  fresh.search(q, 10, () => {});
  cold.push(gz(engine) + loaded.reduce((n, f) => n + gz(f), 0));
}
// Warm: everything a query needs is loaded; time the query itself.
const warm = [];
const Zw = globalThis.zhizeSearch;
for (const q of queries) Zw.search(q, 10, () => {});
for (let round = 0; round < 5; round++) {
  for (const q of queries) {
    const t = process.hrtime.bigint();
    Zw.search(q, 10, () => {});
    warm.push(Number(process.hrtime.bigint() - t) / 1e6);
  }
}
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s[Math.floor(s.length / 2)]; };
const max = (a) => Math.max(...a);
process.stdout.write(JSON.stringify({
  cold_bytes_median: median(cold), cold_bytes_max: max(cold),
  warm_ms_median: median(warm), warm_ms_max: max(warm), queries: queries.length,
}) + "\n");
