#!/bin/sh
# all_orders.sh OUT_DIR INCLUDE_DIR... - every one of the 720 orders of <winsock2.h>,
# <windows.h>, <unistd.h>, <sys/socket.h>, <netdb.h> and <arpa/inet.h> compiles, in C (gcc)
# and C++ (g++), -Wall -Wextra -Werror (issue 12).
#
# compile_matrix.sh covers every pair order at -O0, -O2 and with the sanitizers, with four
# compilers; a conflict that needs three headers in one order would slip through it, so
# this checks the full set once, as a syntax check (-fsyntax-only: 720 files in seconds).
set -eu

out=$1
shift
incflags=""
for d in "$@"; do incflags="$incflags -I$d"; done
jobs=$(nproc 2>/dev/null || echo 2)
rm -rf "$out"
mkdir -p "$out"

# One file per order (python3 is one of the suite's packages).
n=$(python3 - "$out" <<'GEN'
import itertools, sys
body = """int order_use(SOCKET s);
int order_use(SOCKET s)
{
    char b[8];
    fd_set r;
    FD_ZERO(&r);
    FD_SET(s, &r);
    return recv(s, b, 8, 0) + select(0, &r, 0, 0, 0) + gethostname(b, 8) + (int)getpid();
}
"""
headers = ["winsock2.h", "windows.h", "unistd.h", "sys/socket.h", "netdb.h", "arpa/inet.h"]
orders = list(itertools.permutations(headers))
for i, order in enumerate(orders):
    with open("%s/order_%d.c" % (sys.argv[1], i + 1), "w") as f:
        f.write("".join("#include <%s>\n" % h for h in order) + body)
print(len(orders))
GEN
)
[ "$n" -eq 720 ] || { echo "all_orders: generated $n orders, expected 720"; exit 1; }

compilers="gcc"
command -v g++ >/dev/null 2>&1 && compilers="$compilers g++" || echo "all_orders: g++ not installed, left out"
for c in $compilers; do
    # shellcheck disable=SC2086
    ls "$out"/order_*.c | xargs -P "$jobs" -n 40 sh -c '
        c=$1; shift
        x=""; [ "$c" = g++ ] && x="-x c++"
        for f in "$@"; do
            $c $x -fsyntax-only -Wall -Wextra -Werror '"$incflags"' "$f" >"$f.$c.log" 2>&1 ||
                echo "FAIL $c $f"
        done' sh "$c" >>"$out/failures.txt"
done
failed=$(grep -c FAIL "$out/failures.txt" || true)
if [ "$failed" -ne 0 ]; then
    head -n 5 "$out/failures.txt"
    first=$(head -n 1 "$out/failures.txt" | awk '{print $3 "." $2 ".log"}')
    cat "$first"
fi
echo "all_orders: 720 orders with$(echo " $compilers"): $failed failed"
[ "$failed" -eq 0 ]
