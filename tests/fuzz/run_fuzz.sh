#!/bin/sh
# run_fuzz.sh FUZZER CORPUS SECONDS - runs FUZZER for SECONDS on a scratch copy of CORPUS
# (new inputs stay out of the source tree) and prints the end of libFuzzer's log with its
# final statistics. A crash, hang or leak input is kept as ./fuzz-artifact-* and dumped.
set -u
fuzzer=$1 corpus=$2 seconds=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkdir "$work/corpus"
cp "$corpus"/* "$work/corpus/" 2>/dev/null
"$fuzzer" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 -print_final_stats=1 \
    -artifact_prefix="$work/" "$work/corpus" >"$work/log" 2>&1
status=$?
tail -n 60 "$work/log"
for f in "$work"/crash-* "$work"/timeout-* "$work"/leak-* "$work"/oom-*; do
    [ -f "$f" ] || continue
    cp "$f" "./fuzz-artifact-$(basename "$f")"
    echo "reproducer kept as ./fuzz-artifact-$(basename "$f"):"
    od -An -tx1 "$f" | head -n 16
done
exit $status
