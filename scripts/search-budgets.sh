#!/usr/bin/env bash
# Search budgets and quality on the demonstration content, measured side by side on this
# machine: the static index's gzipped size per 1,000 pages and the thesaurus's, the bytes a
# cold first query loads, a warm query's time (node's V8), `zhize search` from a cold start
# (median of 20), and recall on the evaluation sets (the demo's three and tests/search/unseen's two)
# beside a plain bigram grep.
# usage: scripts/search-budgets.sh   (from the repository root; honours CARGO_TARGET_DIR)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release -q
zhize="${CARGO_TARGET_DIR:-target}/release/zhize"
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
"$zhize" build --output "$out/public" >/dev/null 2>&1
pages=$(find "$out/public" -name '*.html' | wc -l)
index=0
# The index without the thesaurus (search/th/) and the traditional → simplified table
# (search/s/), which are the same whatever the site's size.
for f in "$out"/public/search/*.js "$out"/public/search/*/*.js; do
  case $f in */search/th/* | */search/s/*) continue ;; esac
  index=$((index + $(gzip -9 < "$f" | wc -c)))
done
echo "pages: $pages; static index: $index bytes gzipped = $((index * 1000 / pages)) bytes per 1,000 pages (budget 500000)"
thesaurus=0
for f in "$out"/public/search/th/*.js "$out"/public/search/s/*.js; do
  thesaurus=$((thesaurus + $(gzip -9 < "$f" | wc -c)))
done
echo "thesaurus and character table: $thesaurus bytes gzipped in $(find "$out"/public/search/th "$out"/public/search/s -name "*.js" | wc -l) shards (fixed; budget 1000000)"
if command -v node >/dev/null; then
  echo "keyword questions (tests/search/eval.json):"
  node tests/js/budget.js "$out/public" tests/search/eval.json
  echo "everyday questions (tests/search/everyday.json), longer, so they load more shards:"
  node tests/js/budget.js "$out/public" tests/search/everyday.json
  echo "(budgets: cold first query <= 61440 bytes for the median question of either set; warm query < 20 ms)"
else
  echo "node not found: cold and warm query budgets not measured"
fi
times=()
for _ in $(seq 20); do
  s=$(date +%s%N)
  "$zhize" search --limit 5 谁负责印章 >/dev/null
  times+=($(( ($(date +%s%N) - s) / 1000 )))
done
sorted=$(printf '%s\n' "${times[@]}" | sort -n)
echo "zhize search cold start: median $(echo "$sorted" | sed -n 10p) µs (budget 100000 µs)"
echo "recall (zhize beside the plain bigram grep of scripts/grep-baseline.py):"
# (-q prints a dot per test, which can start a line: strip them.)
cargo test -q --release --test testsuite -- search::everyday search::index --nocapture 2>/dev/null |
  sed 's/^\.*//' | grep -E '^(everyday|unseen|recall@5)'
