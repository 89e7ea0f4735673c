#!/usr/bin/env bash
# Run each fuzz target of fuzz/ for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     (default: 20 s, every target)
#
# Targets: yaml_loader (decoding, position map, YAML loader), front_matter (page front matter),
# flowchart (Mermaid-subset parser, layout, SVG), importer (every genre over arbitrary lines).
# cargo-fuzz needs nightly-only compiler flags; on stable Rust RUSTC_BOOTSTRAP=1 allows them.
# Without cargo-fuzz (and no way to install it) or without a C++ compiler for libFuzzer, it
# prints a note and exits 0: fuzzing is extra assurance, not a gate for a network hiccup.
# A crash, a timeout or running out of memory is a finding: the script fails and
# fuzz/artifacts/<target>/ holds the input (replay: cargo fuzz run <target> <file>).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-20}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml_loader front_matter flowchart importer)

skip() {
    echo "fuzz: SKIPPED: $*"
    exit 0
}

if ! cargo fuzz --version >/dev/null 2>&1; then
    echo "fuzz: cargo-fuzz not found; installing it"
    cargo install --locked cargo-fuzz >/tmp/zhize-cargo-fuzz-install.log 2>&1 ||
        skip "cargo-fuzz could not be installed (see /tmp/zhize-cargo-fuzz-install.log)"
fi

export RUSTC_BOOTSTRAP=1
export CARGO_TARGET_DIR="${ZHIZE_FUZZ_TARGET_DIR:-$PWD/fuzz/target}"
cd fuzz

# Seed each corpus with the project's own examples (the corpus folders are not committed).
seed() {
    local dir="corpus/$1"
    shift
    mkdir -p "$dir"
    local f
    for f in "$@"; do
        [ -f "$f" ] && cp "$f" "$dir/seed-$(basename "$(dirname "$f")")-$(basename "$f")"
    done
    return 0
}
shopt -s nullglob globstar
seed yaml_loader ../tests/fixtures/mini/**/*.yaml ../tests/bad/*/site/**/*.yaml ../content/**/_org.yaml
seed front_matter ../tests/fixtures/mini/**/*.md ../content/pages/*.md
seed flowchart ../docs/*.md
seed importer ../tests/seeds/*.txt

# One build for all targets (optimised, with debug assertions, under AddressSanitizer).
cargo fuzz build >/tmp/zhize-fuzz-build.log 2>&1 || {
    tail -20 /tmp/zhize-fuzz-build.log
    skip "the fuzz targets did not build (see /tmp/zhize-fuzz-build.log)"
}

for t in "${targets[@]}"; do
    echo "fuzz: $t for ${secs}s"
    log="/tmp/zhize-fuzz-$t.log"
    status=0
    cargo fuzz run "$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout=10 -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::peak_rss_mb|Done |SUMMARY)|panicked|ERROR:' "$log" || true
    if [ "$status" -ne 0 ]; then
        tail -40 "$log"
        echo "fuzz: $t FOUND A PROBLEM (exit $status): the input is in fuzz/artifacts/$t/"
        exit 1
    fi
done
echo "fuzz: all targets ran without finding a problem"
