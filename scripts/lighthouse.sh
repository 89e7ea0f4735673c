#!/usr/bin/env bash
# Lighthouse scores of the demonstration site (not run in CI): builds the site in release,
# serves the output on a loopback port (python3 -m http.server), and runs Lighthouse (from npm,
# through npx; the only thing this script downloads) in headless Chromium over the home page,
# a department page and a procedure page, at mobile (default) and desktop settings. Prints a
# table of the four category scores; README.md "Lighthouse" lists the last figures.
#
# Usage: scripts/lighthouse.sh
# Environment: PORT (18731), CHROME_PATH (chromium), LIGHTHOUSE (lighthouse@12), OUT (a temp
#   folder for the JSON reports), ZHIZE_BIN (a zhize binary to use instead of building one in
#   release).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
PORT=${PORT:-18731}
export CHROME_PATH=${CHROME_PATH:-$(command -v chromium || command -v chromium-browser || command -v google-chrome)}
LIGHTHOUSE=${LIGHTHOUSE:-lighthouse@12}
OUT=${OUT:-$(mktemp -d "${TMPDIR:-/tmp}/zhize-lighthouse.XXXXXX")}

cd "$REPO"
if [[ -z ${ZHIZE_BIN:-} ]]; then
  cargo build --release --quiet
  ZHIZE_BIN=./target/release/zhize
fi
"$ZHIZE_BIN" build --root "$REPO" --output "$OUT/public" >/dev/null 2>&1
# The built files as a plain web server sends them (zhize serve would add its reload script).
python3 -m http.server "$PORT" --bind 127.0.0.1 --directory "$OUT/public" >"$OUT/http.log" 2>&1 &
SERVER=$!
trap 'kill "$SERVER" 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs "http://127.0.0.1:$PORT/index.html" >/dev/null 2>&1 && break
  sleep 0.2
done

# A procedure with a chart: the first procedure page of 办公室 of 威海市工业和信息化局.
PROC=$(ls "$OUT"/public/weihai-gxj/bangongshi/procedures/*.html | head -1)
PROC=weihai-gxj/bangongshi/procedures/$(basename "$PROC")

printf '%-58s %-8s %5s %5s %5s %5s\n' page form perf a11y best seo
for page in index.html weihai-gxj/bangongshi/index.html "$PROC"; do
  for form in mobile desktop; do
    report="$OUT/$(echo "$page" | tr '/' '_')-$form.json"
    preset=()
    [[ $form == desktop ]] && preset=(--preset=desktop)
    npx --yes "$LIGHTHOUSE" "http://127.0.0.1:$PORT/$page" "${preset[@]}" --quiet \
      --chrome-flags="--headless=new --no-sandbox" --output=json --output-path="$report" >/dev/null
    node -e '
      const r = require(process.argv[1]).categories;
      const s = k => Math.round(r[k].score * 100);
      console.log(process.argv[2].padEnd(58), process.argv[3].padEnd(8),
        String(s("performance")).padStart(5), String(s("accessibility")).padStart(5),
        String(s("best-practices")).padStart(5), String(s("seo")).padStart(5));
    ' "$report" "$page" "$form"
  done
done
echo "reports in $OUT"
