#!/usr/bin/env bash
# layers.sh - the folders of src/ depend on each other one way only (docs/design.md
# "Layers"): base <- sync <- backend, core <- api, with win32 and crt beside api. A folder
# depends on another when one of its files includes a header of the other. The backend's
# completion upcall into the core is declared in backend.h and defined by the core, so it
# needs no include. Prints every edge and exits 1 when two folders include each other.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
edges=$(for f in src/*/*.[ch]; do
    from=$(basename "$(dirname "$f")")
    grep -ho '^#include "[a-z0-9_]*/[a-z0-9_]*\.h"' "$f" | sed 's/#include "//; s#/.*##' |
        grep -vx "$from" | sed "s/^/$from /" || true
done | sort | uniq -c | awk '{print $2, $3, $1}')
printf '%s\n' "$edges" | awk '{printf "  %-8s -> %-8s (%d includes)\n", $1, $2, $3}'
bad=0
while read -r a b _; do
    if [[ "$a" < "$b" ]] && printf '%s\n' "$edges" | grep -q "^$b $a "; then
        echo "two-way dependency: $a <-> $b:"
        grep -ln "^#include \"$b/" src/"$a"/*.[ch] | sed "s/^/    $a includes $b: /"
        grep -ln "^#include \"$a/" src/"$b"/*.[ch] | sed "s/^/    $b includes $a: /"
        bad=1
    fi
done <<<"$edges"
[ $bad = 0 ] && echo "layers: no two-way dependency between the folders of src/"
exit $bad
