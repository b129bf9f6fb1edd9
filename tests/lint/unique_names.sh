#!/usr/bin/env bash
# unique_names.sh - every function defined in src/ has a name of its own, so that a grep
# for a name finds the one definition (docs/conventions.md "Names"). A static function may
# not share its name with any other function of src/, static or not; static inline helpers
# in headers are one definition shared by their includers and count once.
# Prints the repeated names with their places and exits 1; exits 0 when there are none.
set -euo pipefail
root=${1:-$(cd "$(dirname "$0")/../.." && pwd)}
cd "$root"
# A definition: a line at column 0 that begins a declaration and ends in ')' (or ','
# for a signature that goes on), whose body opens with '{' alone on a later line.
defs=$(for f in src/*/*.c src/*/*.h; do
    awk -v file="$f" '
        /^[A-Za-z_]/ && !/^(typedef|struct [a-z_0-9]+ \{|enum|union|extern|#)/ && !/;[ \t]*$/ {
            sig = $0; line = NR; next_is_body = 1; next }
        next_is_body && /^\{/ {
            s = sig; gsub(/__attribute__\(\([^)]*\)\)/, "", s); sub(/\(.*/, "", s);
            n = split(s, w, /[ \t\*]+/);
            if (w[n] != "") print w[n], file ":" line;
            next_is_body = 0; next }
        next_is_body && /^[ \t]/ { next }
        { next_is_body = 0 }' "$f"
done)
# The same name twice in one file can only be #if alternatives (uring.c without liburing).
dups=$(printf '%s\n' "$defs" | awk '{split($2, p, ":"); print $1, p[1]}' | sort -u | awk '{print $1}' |
       uniq -d)
if [ -n "$dups" ]; then
    echo "functions defined more than once in src/ (rename the file-private ones: module_name):"
    for d in $dups; do printf '%s\n' "$defs" | awk -v n="$d" '$1 == n {print "  " $0}'; done
    exit 1
fi
echo "unique_names: $(printf '%s\n' "$defs" | wc -l) function definitions in src/, every name unique"
