#!/usr/bin/env bash
# Benchmark zhize, in one run on one machine:
#
#   (a) the 10,000-page Markdown corpus of ../shared/bench/gen_md_corpus.py, built by zhize
#       and by Hugo taking turns: median wall time and peak memory (RSS) of 3 runs each, and
#       their ratios;
#   (b) the demonstration content (content/, the imported seeds), and synthetic content of
#       `cargo run --release --example gen` at 1×, 10× and 100× the seeds (3, 30 and 300
#       organisations): median wall time, time per page and peak memory, so that growth can be
#       seen to be linear.
#
# Usage: scripts/bench.sh [--install-hugo]
#   --install-hugo   install Debian's hugo package (apt-get) if hugo is missing; the only
#                    thing this script ever downloads.
# Environment: RUNS (3), PAGES (10000), SCALES ("3 30 300"), BENCH_DIR (a fresh temp folder),
#   CORPUS_SCRIPT (../shared/bench/gen_md_corpus.py beside this repository), LOAD (1: run
#   the serve load test of (c), which needs oha; 0: skip it).
set -euo pipefail

REPO=$(cd "$(dirname "$0")/.." && pwd)
RUNS=${RUNS:-3}
PAGES=${PAGES:-10000}
SCALES=${SCALES:-"3 30 300"}
CORPUS_SCRIPT=${CORPUS_SCRIPT:-$REPO/../shared/bench/gen_md_corpus.py}
BENCH_DIR=${BENCH_DIR:-$(mktemp -d "${TMPDIR:-/tmp}/zhize-bench.XXXXXX")}
export CARGO_TARGET_DIR=${CARGO_TARGET_DIR:-$REPO/target}
# The summary lines this script reads ("built N pages") are the English ones.
export ZHIZE_LANG=en
INSTALL_HUGO=0
[[ ${1:-} == --install-hugo ]] && INSTALL_HUGO=1

say() { printf '%s\n' "$*"; }
warn() { printf '\n*** %s\n\n' "$*" >&2; }

if [[ ! -x /usr/bin/time ]] || ! /usr/bin/time -v true >/dev/null 2>&1; then
    warn "GNU time (/usr/bin/time -v) is missing; it measures peak memory. Install Debian's 'time' package."
    exit 1
fi

HAVE_HUGO=1
if ! command -v hugo >/dev/null 2>&1; then
    if [[ $INSTALL_HUGO == 1 ]]; then
        say "hugo is missing; installing Debian's hugo package"
        apt-get update -qq && apt-get install -y -qq hugo >/dev/null
    else
        HAVE_HUGO=0
        warn "hugo is MISSING: the Hugo side of (a) is skipped. Install it with
    apt-get update && apt-get install -y hugo
or run this script with --install-hugo."
    fi
fi
HAVE_PY=1
if ! command -v python3 >/dev/null 2>&1; then
    HAVE_PY=0
    warn "python3 is MISSING: the Markdown corpus cannot be made, so (a) is skipped."
elif [[ ! -f $CORPUS_SCRIPT ]]; then
    HAVE_PY=0
    warn "the corpus script $CORPUS_SCRIPT is missing, so (a) is skipped (set CORPUS_SCRIPT)."
fi

say "building zhize and the content generator (release)"
(cd "$REPO" && cargo build --release --quiet --bin zhize --example gen)
ZHIZE=$CARGO_TARGET_DIR/release/zhize
GEN=$CARGO_TARGET_DIR/release/examples/gen

# run_once LABEL OUTDIR ROOT CMD… : run CMD once from a clean OUTDIR and without the search
# index of ROOT (so that every run writes it, as a first build does); sets RUN_S (wall
# seconds), RUN_KB (peak RSS in KB) and LAST_OUT (its stdout).
run_once() {
    local label=$1 outdir=$2 root=$3; shift 3
    local t0 t1 log=$BENCH_DIR/time.log
    rm -rf "$outdir"
    [[ -n $root ]] && rm -rf "$root/.zhize"
    sync
    t0=$(date +%s%N)
    LAST_OUT=$(/usr/bin/time -v -o "$log" "$@" 2>"$BENCH_DIR/stderr.log") || {
        cat "$BENCH_DIR/stderr.log" >&2
        warn "$label failed"
        exit 1
    }
    t1=$(date +%s%N)
    RUN_S=$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.3f", (b - a) / 1e9 }')
    RUN_KB=$(awk -F': ' '/Maximum resident set size/ { print $2 }' "$log")
}

median() { printf '%s\n' "$@" | sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

# report LABEL "TIMES" "MEMS": print the runs and their medians; sets MED_S and MED_KB.
report() {
    local label=$1 times=$2 mems=$3
    # shellcheck disable=SC2086 # word splitting wanted
    MED_S=$(median $times) MED_KB=$(median $mems)
    printf '  %-34s runs: %s s   median %7.3f s   peak RSS %7.1f MB\n' \
        "$label" "$times" "$MED_S" "$(awk -v k="$MED_KB" 'BEGIN { print k / 1024 }')"
}

# measure LABEL OUTDIR ROOT CMD… : run CMD $RUNS times (see run_once) and report.
measure() {
    local label=$1 times="" mems="" i
    for ((i = 1; i <= RUNS; i++)); do
        run_once "$@"
        times+="${times:+ }$RUN_S" mems+="${mems:+ }$RUN_KB"
    done
    report "$label" "$times" "$mems"
}

pages_of() { sed -n 's/.*built \([0-9]*\) pages.*/\1/p' <<<"$LAST_OUT"; }

say ""
say "machine: $(nproc) cores, $(awk '/MemTotal/ { printf "%.0f GB", $2 / 1048576 }' /proc/meminfo), $(uname -sr)"
say "zhize:   $("$ZHIZE" --version)"
[[ $HAVE_HUGO == 1 ]] && say "hugo:    $(hugo version | cut -d' ' -f1-2)"
say "work:    $BENCH_DIR   (runs per measurement: $RUNS, median reported)"

# (a) ─────────────────────────────────────────────────────────────────────────────────────────
if [[ $HAVE_PY == 1 ]]; then
    say ""
    say "(a) $PAGES-page Markdown corpus: zhize vs Hugo"
    CORPUS=$BENCH_DIR/corpus
    rm -rf "$CORPUS" # a corpus left by an earlier run would be copied into itself
    python3 "$CORPUS_SCRIPT" "$PAGES" "$CORPUS" | sed 's/^/  /'
    # zhize reads the same pages as free pages: content/pages/*.md with `title:` front matter.
    mkdir -p "$CORPUS/zhize/content"
    cp -r "$CORPUS/hugo/content/pages" "$CORPUS/zhize/content/pages"
    # The two tools take turns, run by run, so that both meet the same state of the machine:
    # on a file system that holds back the inodes of files just deleted (ext4 without a
    # journal does, for seconds to minutes), each run's cost depends on what ran before it.
    ZT="" ZM="" HT="" HM=""
    for ((i = 1; i <= RUNS; i++)); do
        run_once "zhize build" "$CORPUS/zhize-out" "$CORPUS/zhize" "$ZHIZE" build --root "$CORPUS/zhize" --output "$CORPUS/zhize-out"
        ZT+="${ZT:+ }$RUN_S" ZM+="${ZM:+ }$RUN_KB" Z_OUT=$LAST_OUT
        if [[ $HAVE_HUGO == 1 ]]; then
            run_once "hugo" "$CORPUS/hugo-out" "" hugo --quiet --source "$CORPUS/hugo" --destination "$CORPUS/hugo-out"
            HT+="${HT:+ }$RUN_S" HM+="${HM:+ }$RUN_KB"
        fi
    done
    report "zhize build" "$ZT" "$ZM"
    Z_S=$MED_S Z_KB=$MED_KB LAST_OUT=$Z_OUT
    say "  zhize wrote $(pages_of) pages"
    if [[ $HAVE_HUGO == 1 ]]; then
        report "hugo" "$HT" "$HM"
        H_S=$MED_S H_KB=$MED_KB
        say "  hugo wrote $(find "$CORPUS/hugo-out" -name '*.html' | wc -l) pages"
        awk -v zs="$Z_S" -v hs="$H_S" -v zk="$Z_KB" -v hk="$H_KB" 'BEGIN {
            printf "  => zhize is %.2f× faster than Hugo (wall time); its peak memory is %.2f of Hugo’s (1/%.1f)\n",
                hs / zs, zk / hk, hk / zk }'
        # The ratio of each pair of turns, for how much it varies.
        paste -d' ' <(tr ' ' '\n' <<<"$HT") <(tr ' ' '\n' <<<"$ZT") |
            awk '{ r = r sprintf("%s%.2f", NR > 1 ? " " : "", $1 / $2) } END { print "  ratio run by run: " r }'
    else
        say "  (Hugo side skipped: hugo is missing)"
    fi
fi

# (b) ─────────────────────────────────────────────────────────────────────────────────────────
say ""
say "(b) the demonstration content and synthetic content at 1×, 10×, 100× the seeds"
rm -rf "$BENCH_DIR/seeds" && mkdir -p "$BENCH_DIR/seeds" && cp -r "$REPO/content" "$BENCH_DIR/seeds/"
measure "content/ (the imported seeds)" "$BENCH_DIR/seeds-out" "$BENCH_DIR/seeds" "$ZHIZE" build --root "$BENCH_DIR/seeds" --output "$BENCH_DIR/seeds-out"
say "  content/ wrote $(pages_of) pages"
BASE_US=""
for n in $SCALES; do
    site=$BENCH_DIR/gen-$n
    rm -rf "$site"
    "$GEN" "$n" "$site" >/dev/null
    measure "gen $n organisations" "$site/public" "$site" "$ZHIZE" build --root "$site"
    p=$(pages_of)
    us=$(awk -v s="$MED_S" -v p="$p" 'BEGIN { printf "%.1f", s * 1e6 / p }')
    [[ -z $BASE_US ]] && BASE_US=$us
    printf '  %-34s %6d pages   %7.1f µs/page   (%.2f× the per-page time of %s orgs)\n' \
        "" "$p" "$us" "$(awk -v a="$us" -v b="$BASE_US" 'BEGIN { print a / b }')" "${SCALES%% *}"
done
LAST_SITE=$site

# (c) ─────────────────────────────────────────────────────────────────────────────────────────
say ""
say "(c) search at scale: the first question of a new \`zhize search\` (median of $RUNS), and /api/search under load"
drop_cache() {
    sync
    if { echo 3 >/proc/sys/vm/drop_caches; } 2>/dev/null; then CACHE="page cache dropped"; else CACHE="page cache WARM (cannot drop it as this user)"; fi
}
# first_query LABEL ROOT QUESTION…: make the index, then time each question in a new process.
first_query() {
    local label=$1 root=$2 q t0 t1 times=""
    shift 2
    "$ZHIZE" build --root "$root" --output "$BENCH_DIR/index-out" --index >/dev/null 2>&1
    for q in "$@"; do
        times=""
        for ((i = 1; i <= RUNS; i++)); do
            drop_cache
            t0=$(date +%s%N)
            "$ZHIZE" search --root "$root" "$q" >/dev/null
            t1=$(date +%s%N)
            times+="${times:+ }$(awk -v a="$t0" -v b="$t1" 'BEGIN { printf "%.0f", (b - a) / 1e6 }')"
        done
        # shellcheck disable=SC2086 # word splitting wanted
        printf '  %-30s %-14s runs: %s ms   median %s ms   (%s)\n' "$label" "$q" "$times" "$(median $times)" "$CACHE"
    done
}
[[ $HAVE_PY == 1 ]] && first_query "$PAGES-page corpus" "$CORPUS/zhize" 工作制度 安全生产检查 会议
first_query "gen ${SCALES##* } organisations" "$LAST_SITE" 出差报销找谁 谁负责印章 公积金怎么提取
if [[ ${LOAD:-1} == 1 ]]; then
    say "  /api/search of zhize serve on gen ${SCALES##* } organisations, 4,000 requests at 200 per second:"
    "$REPO/scripts/serve-load.sh" 4000 200 "$LAST_SITE" 2>&1 | sed 's/^/    /' || warn "the load test failed or missed its budget"
fi

say ""
say "done; generated sites and outputs are in $BENCH_DIR"
