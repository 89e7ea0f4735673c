#!/usr/bin/env bash
# Run each fuzz target of fuzz/ for a bounded time.
#
#   scripts/fuzz.sh [SECONDS_PER_TARGET] [TARGET ...]     (default: 20 s, every target)
#
# 0 seconds builds the targets without running them (CI builds them while its tests run).
#
# Targets: yaml_loader (decoding, position map, YAML loader), front_matter (page front matter),
# flowchart (Mermaid-subset parser, layout, SVG), importer (every genre over arbitrary lines),
# search_query (query analysis, pinyin, ranking, snippets, and a search of a small index),
# http_request (bytes from a client through zhize serve's connection handling and answers).
# cargo-fuzz needs nightly-only compiler flags; on stable Rust RUSTC_BOOTSTRAP=1 allows them.
#
# Without cargo-fuzz (and no way to install it), without a C++ compiler for libFuzzer, or if
# the targets do not build, it prints a note and exits 0: locally, fuzzing is extra assurance,
# not a gate for a network hiccup. With ZHIZE_FUZZ=required (set by .ci/run) each of those
# fails instead: CI must not pass by skipping.
# A crash, a timeout or running out of memory is a finding: the script fails and
# fuzz/artifacts/<target>/ holds the input (replay: cargo fuzz run <target> <file>).
#
# Environment: ZHIZE_FUZZ_TARGET_DIR (build folder, default fuzz/target), ZHIZE_FUZZ_RELEASE=1
# (an optimised build), ZHIZE_FUZZ_SANITIZER (address, none …; see the build step below).
set -euo pipefail
cd "$(dirname "$0")/.."

secs="${1:-20}"
[ $# -gt 0 ] && shift
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(yaml_loader front_matter flowchart importer search_query http_request)

skip() {
    if [ "${ZHIZE_FUZZ:-}" = required ]; then
        echo "fuzz: FAILED (ZHIZE_FUZZ=required): $*"
        exit 1
    fi
    echo "fuzz: SKIPPED: $*"
    exit 0
}

# libfuzzer-sys compiles libFuzzer, which is C++.
command -v "${CXX:-c++}" >/dev/null 2>&1 || command -v g++ >/dev/null 2>&1 ||
    command -v clang++ >/dev/null 2>&1 ||
    skip "no C++ compiler (c++, g++ or clang++) to build libFuzzer with"

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
# The seeds are whole documents of up to 250 KB: in pieces of at most 8 KB (whole lines) the
# importer ran about 350 inputs a second from a fresh corpus instead of 7.
mkdir -p corpus/importer
for f in ../tests/seeds/*.txt; do
    split -C 8000 -d -a 3 "$f" "corpus/importer/seed-$(basename "$f" .txt)-"
done
# Queries: every string of the search evaluation (questions and the departments expected)
# and of the analyser's agreement vectors; both files hold one string a line, no escapes.
mkdir -p corpus/search_query
n=0
while IFS= read -r q; do
    n=$((n + 1))
    printf '%s' "$q" >"corpus/search_query/seed-query-$n"
done < <(sed -n 's/^.*"\([^"]*\)",\{0,1\}$/\1/p' ../tests/search/eval.json ../tests/search/vectors.json)

# Requests: a few a client might send, well formed or not, one per file.
mkdir -p corpus/http_request
i=0
for req in 'GET / HTTP/1.1\r\nHost: x\r\n\r\n' \
    'GET /shiju HTTP/1.1\r\nHost: x\r\n\r\nHEAD //shiju/ HTTP/1.1\r\nHost: x\r\n\r\n' \
    'GET /api/search?q=%E5%8D%B0%E7%AB%A0&limit=5 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n' \
    'GET /__zhize/wait?since=0 HTTP/1.1\r\nHost: x\r\n\r\n' \
    'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n\r\nabcGET / HTTP/1.0\r\n\r\n' \
    'GET / HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n0\r\n\r\n' \
    'GET / HTTP/1.1\r\nContent-Length: 0\r\nContent-Length: 5\r\n\r\nGET / HTTP/1.1\r\n\r\n' \
    'GET /%2e%2e/x HTTP/2.0\r\n\r\n'; do
    i=$((i + 1))
    printf '%b' "$req" >"corpus/http_request/seed-$i"
done

# One build for all targets, with debug assertions and overflow checks. zhize is safe Rust, so
# what fuzzing can find is panics, overflows, timeouts and running out of memory;
# AddressSanitizer adds little to that, and instruments every dependency (tantivy, jieba …)
# too. Cold builds on a two-core machine: optimised with AddressSanitizer 13 min 16 s, optimised
# without it 8 min 53 s (16 codegen units), unoptimised without it (`--dev`, no debug
# information: fuzz/Cargo.toml) about 3 to 4 min. The unoptimised targets run 5 to 10 times
# fewer inputs a second, which a bounded CI run can afford; they are the default so that CI
# runs every target on every change. For a long local run: ZHIZE_FUZZ_RELEASE=1 (optimised),
# with ZHIZE_FUZZ_SANITIZER=address to bring the sanitizer back.
build_flags=(--sanitizer "${ZHIZE_FUZZ_SANITIZER:-none}")
# An input that runs longer than this is a finding (a hang). Unoptimised code is several times
# slower, and the search target's first input loads the segmenter's dictionary and builds its
# index (12 s unoptimised on a busy machine), hence the wider bound there.
if [ "${ZHIZE_FUZZ_RELEASE:-}" = 1 ]; then
    build_flags+=(--codegen-units 16)
    timeout=10
else
    build_flags+=(--dev)
    timeout=60
fi
# A cold build gains nothing from incremental compilation, which only adds work.
export CARGO_INCREMENTAL=0
started=$SECONDS
cargo fuzz build "${build_flags[@]}" >/tmp/zhize-fuzz-build.log 2>&1 || {
    tail -20 /tmp/zhize-fuzz-build.log
    skip "the fuzz targets did not build (see /tmp/zhize-fuzz-build.log)"
}
echo "fuzz: built in $((SECONDS - started))s"
if [ "$secs" = 0 ]; then
    echo "fuzz: built only (0 seconds a target)"
    exit 0
fi

for t in "${targets[@]}"; do
    echo "fuzz: $t for ${secs}s"
    log="/tmp/zhize-fuzz-$t.log"
    status=0
    cargo fuzz run "${build_flags[@]}" "$t" "corpus/$t" -- \
        -max_total_time="$secs" -timeout="$timeout" -rss_limit_mb=2048 -max_len=65536 \
        -print_final_stats=1 >"$log" 2>&1 || status=$?
    grep -E '^(stat::number_of_executed_units|stat::average_exec_per_sec|stat::peak_rss_mb|Done |SUMMARY)|panicked|ERROR:' "$log" || true
    if [ "$status" -ne 0 ]; then
        tail -40 "$log"
        echo "fuzz: $t FOUND A PROBLEM (exit $status): the input is in fuzz/artifacts/$t/"
        exit 1
    fi
done
echo "fuzz: all targets ran without finding a problem"
