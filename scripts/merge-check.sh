#!/usr/bin/env bash
# A synthetic site of N organisations (examples/gen.rs; 30 is 10× the seeds) built whole, and
# built one organisation at a time then merged: the two outputs must be equal byte for byte.
#
#   scripts/merge-check.sh [N]        (default 30)
#
# Prints the time of the whole build, of the part builds one after another, and of the merge,
# and fails if any file differs. Release binaries (built here if needed).
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-30}"
export ZHIZE_LANG=en
cargo build --release --quiet --bin zhize --example gen
bin="${CARGO_TARGET_DIR:-$PWD/target}/release"
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
"$bin/examples/gen" "$n" "$work/site" >/dev/null

now() { date +%s.%N; }
t0=$(now)
"$bin/zhize" build --root "$work/site" --output "$work/whole" >/dev/null 2>&1
t1=$(now)
parts=()
for org in "$work"/site/content/*/; do
    org=$(basename "$org")
    [ -f "$work/site/content/$org/_org.yaml" ] || continue
    "$bin/zhize" build --root "$work/site" --org "$org" --output "$work/parts/$org" >/dev/null 2>&1
    parts+=("$work/parts/$org")
done
t2=$(now)
"$bin/zhize" merge --root "$work/site" --output "$work/merged" "${parts[@]}" >/dev/null
t3=$(now)
files=$(find "$work/whole" -type f | wc -l)
if diff -r "$work/whole" "$work/merged" >"$work/diff" 2>&1; then
    same="identical"
else
    same="DIFFERENT"
fi
awk -v n="$n" -v p="${#parts[@]}" -v f="$files" -v s="$same" -v a="$t0" -v b="$t1" -v c="$t2" -v d="$t3" 'BEGIN {
    printf "%d organisations, %d files: whole build %.2f s; %d part builds one after another %.2f s; merge %.2f s; outputs %s\n",
        n, f, b - a, p, c - b, d - c, s }'
if [ "$same" != identical ]; then
    head -20 "$work/diff"
    exit 1
fi
