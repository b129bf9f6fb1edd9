#!/bin/sh
# check_exports.sh LIB INCLUDE_DIR - the shared library exports the Winsock/Win32 surface
# and nothing else (STYLE.md 5: internal symbols are wsaio_-prefixed *and* hidden).
#
# The allowed set is what the public headers declare with WSAIO_EXPORT. Every symbol that
# `nm -D --defined-only` lists (minus the linker's own) must be in it; an exported internal
# helper (a wsaio_* name no header declares, a missing `static`, a build without
# -fvisibility=hidden) fails. So does an exported name that the C library also defines:
# it would interpose libc's function in every process that loads libwsaio.so.
set -eu

lib=$1
incdir=$2
tmp=${TMPDIR:-/tmp}/wsaio-exports.$$
trap 'rm -f "$tmp".*' EXIT INT TERM

# Declared names: what the headers declare with WSAIO_EXPORT.
"$(dirname "$0")/declared_names.sh" "$incdir" > "$tmp.declared"

nm -D --defined-only "$lib" | awk '{ print $NF }' | sed 's/@.*//' |
    grep -v -x -e _init -e _fini -e _edata -e _end -e __bss_start | sort -u > "$tmp.exported"

ndecl=$(wc -l < "$tmp.declared")
nexp=$(wc -l < "$tmp.exported")
if [ "$ndecl" -eq 0 ]; then
    echo "check_exports: found no WSAIO_EXPORT declarations in $incdir" >&2
    exit 1
fi

status=0
comm -23 "$tmp.exported" "$tmp.declared" > "$tmp.extra"
if [ -s "$tmp.extra" ]; then
    echo "check_exports: $lib exports symbols no public header declares:" >&2
    sed 's/^/    /' "$tmp.extra" >&2
    status=1
fi

libc=$(cc -print-file-name=libc.so.6 2>/dev/null || true)
[ -f "$libc" ] || libc=$(ldconfig -p 2>/dev/null | awk '/libc\.so\.6 .*x86-64|libc\.so\.6 \(libc6,x86-64/ { print $NF; exit }')
if [ -n "$libc" ] && [ -f "$libc" ]; then
    nm -D --defined-only "$libc" | awk '{ print $NF }' | sed 's/@.*//' | sort -u > "$tmp.libc"
    comm -12 "$tmp.exported" "$tmp.libc" > "$tmp.clash"
    if [ -s "$tmp.clash" ]; then
        echo "check_exports: $lib exports names that libc also defines (they would interpose libc):" >&2
        sed 's/^/    /' "$tmp.clash" >&2
        status=1
    fi
fi

nmissing=$(comm -13 "$tmp.exported" "$tmp.declared" | wc -l)
echo "check_exports: $nexp exported symbols; the public headers declare $ndecl, $nmissing of" \
     "them not defined yet"
if [ "$status" -eq 0 ]; then
    echo "check_exports: ok, every exported symbol is declared by a public header"
fi
exit $status
