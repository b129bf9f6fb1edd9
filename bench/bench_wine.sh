# bench_wine.sh - Wine set-up shared by run_events.sh and run_all.sh; sourced, after they
# have set ROOT, BUILD, BDIR and log().
#
# wine_setup NAME...: builds each Winsock source bench/NAME.c (or examples/NAME.c) with mingw-w64 into
# BDIR/NAME.exe, makes the Wine prefix BUILD/wineprefix once, and starts one persistent
# wineserver for the whole run in the foreground mode, so that WS_PID is its pid: most of a
# Wine socket or event operation runs inside it, and its CPU time (from /proc) counts for
# the Wine rows. Sets WINE_OK=1; with NO_WINE=1, or without mingw-w64 or wine, WINE_OK=0
# and a line says why. The caller stops the wineserver (its EXIT trap).
wine_setup() {
    local name src
    WINE_OK=0
    WS_PID=
    if [ "${NO_WINE:-0}" = 1 ]; then
        log "NO_WINE=1: Wine not measured"
        return 0
    elif ! command -v x86_64-w64-mingw32-gcc >/dev/null || ! command -v wine >/dev/null; then
        log "mingw-w64 or wine missing (Debian: gcc-mingw-w64-x86-64 wine): Wine not measured"
        return 0
    fi
    for name in "$@"; do
        src=$ROOT/bench/$name.c
        [ -f "$src" ] || src=$ROOT/examples/$name.c
        x86_64-w64-mingw32-gcc -O2 -Wall -Wextra -Werror -I"$ROOT/bench" -o "$BDIR/$name.exe" \
            "$src" -static-libgcc -lws2_32
    done
    export WINEPREFIX=$BUILD/wineprefix WINEDEBUG=-all DISPLAY=
    if [ ! -f "$WINEPREFIX/system.reg" ]; then
        log "creating the Wine prefix $WINEPREFIX (once)"
        wineboot -i >"$BUILD/wineboot.log" 2>&1
    fi
    wineserver -k 2>/dev/null || true
    wineserver -w 2>/dev/null || true
    wineserver -f -p >/dev/null 2>&1 &
    WS_PID=$!
    sleep 0.5
    WINE_OK=1
}
