#!/usr/bin/env bash
# scripts/demo.sh - build wsaio (Release) in build/demo and run the demo, examples/demo.c:
# an overlapped echo server and client on loopback in plain Winsock C, with event objects
# and with completion routines run in alertable waits.
#
# Missing Debian packages are installed when run as root (otherwise the apt-get line is
# printed). Arguments are passed to the demo.
set -euo pipefail

root=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root"
# shellcheck source=scripts/lib.sh
. "$root/scripts/lib.sh"

if [ ! -f examples/demo.c ]; then
    wsaio_log "demo.sh: examples/demo.c does not exist yet; nothing to run."
    exit 1
fi

wsaio_need_packages "${WSAIO_BASE_PACKAGES[@]}"

jobs=$(nproc 2>/dev/null || echo 2)
dir=build/demo
mkdir -p "$dir"
echo "== configure: cmake -S . -B $dir -DCMAKE_BUILD_TYPE=Release"
if ! cmake -S . -B "$dir" -DCMAKE_BUILD_TYPE=Release -DWSAIO_BUILD_TESTS=OFF \
        -DWSAIO_BUILD_BENCH=OFF >"$dir/configure.log" 2>&1; then
    tail -n 40 "$dir/configure.log"
    exit 1
fi
echo "== build: cmake --build $dir --target example_demo"
if ! cmake --build "$dir" -j "$jobs" --target example_demo >"$dir/build.log" 2>&1; then
    tail -n 60 "$dir/build.log"
    exit 1
fi
echo "== run: $dir/examples/demo $*"
exec "$dir/examples/demo" "$@"
