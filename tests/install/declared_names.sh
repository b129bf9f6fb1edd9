#!/bin/sh
# declared_names.sh INCLUDE_DIR - the names the public headers declare with WSAIO_EXPORT,
# one a line, sorted: what libwsaio must define (link test) and may export (check_exports).
#
# Preprocessor directives (with their continuation lines) and comments are dropped, the
# rest is cut into declarations at ';', '{' and '}'; of those that start with WSAIO_EXPORT
# the identifier before the first '(' is kept (a function), or the last identifier (data).
set -eu
# shellcheck disable=SC2020 # tr maps the three characters to three newlines
cat "$1"/*.h | awk '
    incont { incont = /\\$/; next }
    /^[ \t]*#/ { incont = /\\$/; next }
    { print }' | sed -e 's://.*$::' | tr '\n' ' ' | sed -e 's:/\*\([^*]\|\*[^/]\)*\*/: :g' |
    tr ';{}' '\n\n\n' | sed -n 's/^.*WSAIO_EXPORT[ \t]//p' |
    sed -e 's/[ \t]*(.*$//' -e 's/.*[^A-Za-z0-9_]//' | sort -u
