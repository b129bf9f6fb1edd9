# shellcheck shell=bash
# scripts/lib.sh - shared by scripts/test.sh and scripts/demo.sh (sourced, not run).
#
# wsaio_need_packages CHECK:PACKAGE... - each argument is `<check>=<debian package>`, where
# the check is `cmd:NAME` (a command on PATH), `pc:NAME` (a pkg-config module) or
# `file:PATH`. Missing packages are installed with apt-get when running as root; otherwise
# the exact apt-get line is printed and the script exits 1.

wsaio_log() { printf '%s\n' "$*" >&2; }

wsaio_need_packages() {
    local item check pkg missing=()
    for item in "$@"; do
        check=${item%%=*}
        pkg=${item#*=}
        case $check in
        cmd:*) command -v "${check#cmd:}" >/dev/null 2>&1 && continue ;;
        pc:*) command -v pkg-config >/dev/null 2>&1 &&
            pkg-config --exists "${check#pc:}" && continue ;;
        file:*) [ -e "${check#file:}" ] && continue ;;
        *) wsaio_log "wsaio_need_packages: bad check '$check'"; return 2 ;;
        esac
        case " ${missing[*]} " in *" $pkg "*) ;; *) missing+=("$pkg") ;; esac
    done
    [ ${#missing[@]} -eq 0 ] && return 0

    local line="apt-get update && DEBIAN_FRONTEND=noninteractive apt-get install -y ${missing[*]}"
    if [ "$(id -u)" -ne 0 ]; then
        wsaio_log "Missing Debian packages: ${missing[*]}. Install them as root with:"
        wsaio_log "    sudo sh -c '$line'"
        exit 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        wsaio_log "Missing packages (${missing[*]}) and no apt-get: install them by hand."
        exit 1
    fi
    wsaio_log "Installing missing Debian packages: ${missing[*]}"
    apt-get update -q
    DEBIAN_FRONTEND=noninteractive apt-get install -y -q "${missing[@]}"
}

# The packages every build needs (used by test.sh and demo.sh).
# shellcheck disable=SC2034
WSAIO_BASE_PACKAGES=(
    cmd:cmake=cmake cmd:make=make cmd:gcc=gcc cmd:cc=gcc cmd:nm=binutils cmd:readelf=binutils
    file:/usr/include/stdio.h=libc6-dev cmd:pkg-config=pkg-config pc:liburing=liburing-dev
    pc:libuv=libuv1-dev
)
