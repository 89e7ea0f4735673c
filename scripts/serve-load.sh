#!/usr/bin/env bash
# A bounded load test of `zhize serve`'s search API on the demonstration content (or SITE),
# over loopback: a fixed number of requests at a fixed rate (default 4,000 at 200 per
# second), the 76 questions of tests/search/eval.json in turn (each asked once beforehand),
# with oha. Prints oha's report, then the p99 latency and the error count against the budget
# (p99 < 20 ms, no errors).
#
#   scripts/serve-load.sh [REQUESTS] [RATE] [SITE]
#
# SITE is a site folder (default: this repository's demonstration content); a large one is
# loaded before the first request, which may take a minute.
#
# oha is installed with `cargo install oha` when it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
requests="${1:-4000}"
rate="${2:-200}"
site="${3:-.}"

if ! command -v oha >/dev/null 2>&1; then
  echo "oha not found: installing it with cargo (a few minutes, once)"
  cargo install --locked oha
fi
cargo build --release -q
bin="${CARGO_TARGET_DIR:-target}/release/zhize"

work=$(mktemp -d)
log="$work/serve.log"
"$bin" serve --root "$site" --no-watch --port 0 >"$work/out" 2>"$log" &
pid=$!
trap 'kill -INT $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$work"' EXIT
for _ in $(seq 3000); do
  addr=$(grep -o 'http://[0-9.:]*' "$work/out" || true)
  [ -n "$addr" ] && curl -sf "$addr/api/search?q=x" >/dev/null 2>&1 && break
  sleep 0.1
done
[ -n "${addr:-}" ] || { cat "$log"; echo "the server did not start"; exit 1; }

# One URL per question, percent-encoded.
python3 - "$addr" tests/search/eval.json >"$work/urls" <<'EOF'
import json, sys, urllib.parse
addr, path = sys.argv[1], sys.argv[2]
for item in json.load(open(path, encoding="utf-8")):
    print(f"{addr}/api/search?q={urllib.parse.quote(item['q'])}&limit=10")
EOF
# Each question once before the count: the first answer to a question reads its part of the
# index from disk, and the figures are of a server that has answered for a while.
while read -r url; do curl -sf "$url" >/dev/null || true; done <"$work/urls"
echo "$(wc -l <"$work/urls") questions, each asked once before; $requests requests at $rate per second to $addr"

oha --no-tui --urls-from-file -n "$requests" -q "$rate" -c 16 --latency-correction \
  --output-format json "$work/urls" >"$work/report.json"
python3 - "$work/report.json" <<'EOF'
import json, sys
r = json.load(open(sys.argv[1]))
s, p = r["summary"], r["latencyPercentiles"]
codes = r.get("statusCodeDistribution", {})
errors = sum(v for k, v in codes.items() if k != "200") + sum(r.get("errorDistribution", {}).values())
ms = lambda x: f"{x * 1000:.2f} ms"
print(f"requests/s {s['requestsPerSec']:.1f}; success rate {s['successRate']:.4f}; status codes {codes}")
print(f"latency p50 {ms(p['p50'])}, p90 {ms(p['p90'])}, p99 {ms(p['p99'])}, p99.9 {ms(p['p99.9'])}, slowest {ms(s['slowest'])}")
ok = p["p99"] < 0.020 and errors == 0
print(f"budget: p99 < 20 ms with no errors: {'met' if ok else 'NOT MET'} ({errors} errors)")
sys.exit(0 if ok else 1)
EOF
