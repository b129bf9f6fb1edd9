#!/bin/sh
# compile_matrix.sh OUT_DIR INCLUDE_DIR... - the public headers compile as a porter's code
# does, with -Wall -Wextra -Werror, in C and C++, with gcc, clang, g++ and clang++:
#
#  1. every public header (and every spelling of one) alone, first in its file, and used;
#  2. header order: <winsock2.h>, <windows.h>, <unistd.h>, <sys/socket.h>, <netdb.h> and
#     <arpa/inet.h> in every ordered pair (the pair first, the rest after it) and in the
#     six rotations of one order and their reverses, each file using fd_set/FD_SET,
#     gethostname, select and a POSIX function, at -O0, at -O2 and at -O0 with
#     -fsanitize=address,undefined (where gcc's maybe-uninitialized analysis of FD_SET
#     runs; issue 9 defect 10).
#
#  3. every program next to this script (*.c: header-only checks, no library) is built with
#     each compiler and run; it must print "ok".
#
# Compile only for 1 and 2 (no link); the files are compiled in parallel. A compiler that is not
# installed is reported and left out; gcc must be there.
set -eu

out=$1
shift
incflags=""
for d in "$@"; do incflags="$incflags -I$d"; done
jobs=$(nproc 2>/dev/null || echo 2)

rm -rf "$out"
mkdir -p "$out/src" "$out/log"

compilers=""
for c in gcc clang g++ clang++; do
    if command -v "$c" > /dev/null 2>&1; then
        compilers="$compilers $c"
    else
        echo "compile_matrix: $c not installed, left out"
        [ "$c" != gcc ] || exit 1
    fi
done

# The body every order file ends with: Winsock calls through the mapped names, and one
# POSIX function that only <unistd.h> declares.
body='
int matrix_use(SOCKET s);
int matrix_use(SOCKET s)
{
    fd_set readable;
    struct timeval tv = {0, 0};
    char name[256];
    int n;

    FD_ZERO(&readable);
    FD_SET(s, &readable);
    FD_SET(s, &readable);
    n = select(0, &readable, NULL, NULL, &tv);
    if (FD_ISSET(s, &readable))
        FD_CLR(s, &readable);
    if (gethostname(name, (int)sizeof name) == SOCKET_ERROR)
        return WSAGetLastError();
    return n + (int)readable.fd_count + (int)getpid() + (int)ntohs(htons(80));
}'

# 1. Each header alone. The headers directory is the first include directory.
for h in "$1"/*.h; do
    base=$(basename "$h")
    f="$out/src/alone_$(echo "$base" | tr '.' '_').c"
    printf '#include <%s>\nint matrix_alone(void);\nint matrix_alone(void) { return 0; }\n' \
        "$base" > "$f"
done
shift
for d in "$@"; do
    for h in "$d"/*.h "$d"/*.H; do
        [ -e "$h" ] || continue
        base=$(basename "$h")
        f="$out/src/alone_$(echo "$base" | tr '.' '_').c"
        printf '#include <%s>\nint matrix_alone(void);\nint matrix_alone(void) { return 0; }\n' \
            "$base" > "$f"
    done
done

# 2. Orders.
set -- winsock2.h windows.h unistd.h sys/socket.h netdb.h arpa/inet.h
all="$*"
n=0
write_order() { # the headers, in order
    n=$((n + 1))
    f="$out/src/order_$n.c"
    : > "$f"
    for h in "$@"; do echo "#include <$h>" >> "$f"; done
    echo "$body" >> "$f"
}
for a in $all; do
    for b in $all; do
        [ "$a" != "$b" ] || continue
        rest=""
        for c in $all; do
            [ "$c" = "$a" ] || [ "$c" = "$b" ] || rest="$rest $c"
        done
        # shellcheck disable=SC2086
        write_order "$a" "$b" $rest
    done
done
rot="$all"
for _ in 1 2 3 4 5 6; do
    # shellcheck disable=SC2086
    write_order $rot
    rev=""
    for c in $rot; do rev="$c $rev"; done
    # shellcheck disable=SC2086
    write_order $rev
    # shellcheck disable=SC2086
    set -- $rot
    first=$1
    shift
    rot="$* $first"
done

# The jobs: one line per compilation, "<compiler> <flags...> <file>".
joblist="$out/jobs"
: > "$joblist"
for c in $compilers; do
    case $c in
        *++) lang="-x c++" ;;
        *) lang="-x c" ;;
    esac
    for f in "$out"/src/alone_*.c; do
        echo "$c $lang -O0 $f" >> "$joblist"
    done
    for f in "$out"/src/order_*.c; do
        for o in "-O0" "-O2" "-O0 -fsanitize=address,undefined"; do
            echo "$c $lang $o $f" >> "$joblist"
        done
    done
done

export incflags out
# Each job prints its command and the compiler's messages into a log of its own, and
# "FAIL" on failure.
# shellcheck disable=SC2016
xargs -P "$jobs" -I{} sh -c '
    set -- {}
    log="$out/log/$(echo "$*" | tr -c "A-Za-z0-9_+\n" "_").log"
    if ! "$@" -Wall -Wextra -Werror $incflags -c -o /dev/null > "$log" 2>&1; then
        echo "FAIL: $*"
        sed -n "1,12p" "$log"
    fi' < "$joblist" > "$out/failures"

# 3. Programs, built and run.
here=$(cd "$(dirname "$0")" && pwd)
nprog=0
for c in $compilers; do
    case $c in
        *++) lang="-x c++" ;;
        *) lang="-x c" ;;
    esac
    for src in "$here"/*.c; do
        [ -e "$src" ] || continue
        nprog=$((nprog + 1))
        exe="$out/$(basename "$src" .c).$c"
        # shellcheck disable=SC2086
        if ! $c $lang -Wall -Wextra -Werror $incflags -o "$exe" "$src" > "$exe.log" 2>&1; then
            { echo "FAIL: $c $lang $src"; sed -n 1,12p "$exe.log"; } >> "$out/failures"
        elif [ "$("$exe")" != ok ]; then
            { echo "FAIL: $exe printed:"; "$exe"; } >> "$out/failures"
        fi
    done
done

total=$(($(wc -l < "$joblist") + nprog))
failed=$(grep -c '^FAIL' "$out/failures" || true)
cat "$out/failures"
echo "compile_matrix: $total compilations ($(ls "$out"/src/alone_*.c | wc -l) headers alone," \
     "$n orders, $nprog programs run) with$compilers: $failed failed"
[ "$failed" -eq 0 ]
