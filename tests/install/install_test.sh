#!/bin/sh
# install_test.sh BUILD_DIR WORK_DIR CC [CFLAGS...] - install wsaio into a fresh prefix and
# use it the three ways a porter would: pkg-config (shared, in C and in C++), pkg-config
# --static against libwsaio.a, and find_package(wsaio) from a CMake project. Each program must print the
# expected line. The installed libwsaio.so must export only the Winsock surface.
#
# CFLAGS are the build's sanitizer flags, if any: an instrumented library needs an
# instrumented program.
set -eu

build=$1
work=$2
cc=$3
shift 3
cflags="$*"
here=$(cd "$(dirname "$0")" && pwd)
expected="winsock 2.2 event wait: WSA_WAIT_EVENT_0"

rm -rf "$work"
mkdir -p "$work"
prefix=$work/prefix

step() { echo "== $*"; }
check_output() { # name, then the command
    name=$1
    shift
    out=$("$@")
    if [ "$out" != "$expected" ]; then
        echo "FAIL $name printed '$out', expected '$expected'" >&2
        exit 1
    fi
    echo "$name: $out"
}

step "cmake --install $build --prefix $prefix"
cmake --install "$build" --prefix "$prefix" > "$work/install.log"
for f in include/wsaio/winsock2.h include/wsaio/windows.h lib/libwsaio.so lib/libwsaio.a \
         lib/pkgconfig/wsaio.pc lib/cmake/wsaio/wsaioConfig.cmake; do
    [ -e "$prefix/$f" ] || { echo "FAIL: $prefix/$f not installed" >&2; exit 1; }
done
# The spellings Windows programs use (<Windows.h>, <WinSock2.h>, ...) sit next to the headers.
spellings=$(sed -n 's/^\([A-Za-z0-9_.]\{1,\}\)[ \t].*/\1/p' "$here/../../cmake/header-spellings.txt")
[ -n "$spellings" ] || { echo "FAIL: no spellings read from header-spellings.txt" >&2; exit 1; }
for f in $spellings; do
    [ -e "$prefix/include/wsaio/$f" ] || { echo "FAIL: $prefix/include/wsaio/$f not installed" >&2; exit 1; }
done
echo "spellings installed: $(echo "$spellings" | wc -w)"
soname=$(readelf -d "$prefix/lib/libwsaio.so" | sed -n 's/.*(SONAME).*\[\(.*\)\]/\1/p')
[ "$soname" = libwsaio.so.0 ] || { echo "FAIL: SONAME is '$soname', expected libwsaio.so.0" >&2; exit 1; }
echo "SONAME: $soname"

step "exports of the installed libwsaio.so"
"$here/check_exports.sh" "$prefix/lib/libwsaio.so" "$prefix/include/wsaio"

export PKG_CONFIG_PATH="$prefix/lib/pkgconfig"
step "pkg-config --cflags --libs wsaio: $(pkg-config --cflags --libs wsaio)"
# The program is compiled as a user would, strict: the public headers must be warning-free.
# shellcheck disable=SC2046,SC2086
$cc $cflags -Wall -Wextra -Werror -o "$work/prog_shared" "$here/prog.c" $(pkg-config --cflags --libs wsaio)
check_output "pkg-config shared" env LD_LIBRARY_PATH="$prefix/lib" "$work/prog_shared"

# The same program compiled as C++ (every public header is C++-clean, extern "C" linkage).
case $(basename "$cc") in
    *clang*) cxx=clang++ ;;
    *) cxx=g++ ;;
esac
step "pkg-config shared, as C++ with $cxx"
# shellcheck disable=SC2046,SC2086
$cxx $cflags -Wall -Wextra -Werror -o "$work/prog_cxx" -x c++ "$here/prog.c" -x none \
    $(pkg-config --cflags --libs wsaio)
check_output "pkg-config shared, C++" env LD_LIBRARY_PATH="$prefix/lib" "$work/prog_cxx"

step "pkg-config --static: $(pkg-config --static --libs wsaio)"
# -l:libwsaio.a picks the archive although libwsaio.so sits beside it.
# shellcheck disable=SC2046,SC2086
$cc $cflags -Wall -Wextra -Werror -o "$work/prog_static" "$here/prog.c" $(pkg-config --cflags wsaio) \
    $(pkg-config --static --libs wsaio | sed 's/-lwsaio\( \|$\)/-l:libwsaio.a\1/')
if readelf -d "$work/prog_static" | grep -q 'NEEDED.*libwsaio'; then
    echo "FAIL: prog_static still needs libwsaio.so" >&2
    exit 1
fi
check_output "pkg-config static" "$work/prog_static"

step "find_package(wsaio) from a CMake project"
cmake -S "$here/consumer" -B "$work/consumer" -DCMAKE_PREFIX_PATH="$prefix" \
      -DCMAKE_C_COMPILER="$cc" -DCMAKE_C_FLAGS="$cflags -Wall -Wextra -Werror" \
      -DCMAKE_EXE_LINKER_FLAGS="$cflags" -DPROG_SOURCE="$here/prog.c" > "$work/consumer.log"
cmake --build "$work/consumer" >> "$work/consumer.log"
check_output "find_package wsaio::wsaio" "$work/consumer/prog"
check_output "find_package wsaio::wsaio_static" "$work/consumer/prog_static"

echo "install test: ok"
