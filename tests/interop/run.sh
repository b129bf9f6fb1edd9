#!/usr/bin/env bash
# run.sh SCENARIO PEER - one interop case: wsaio's overlapped peer (peer.c) against a
# program nobody here wrote. Exit 0 pass, 1 fail, 77 skip (the other program is missing).
#
#   python-tcp-echo    Python socket echo server  <- peer tcp-client (gather sends, 8 posted receives)
#   python-tcp-client  peer tcp-server (routines) <- Python client sending random bytes, checking the echo
#   python-udp-echo    Python UDP echo            <- peer udp-client (WSASendTo gather, WSARecvFrom)
#   socat-tcp-echo     socat TCP-LISTEN EXEC:cat  <- peer tcp-client
#   socat-udp-echo     socat UDP-LISTEN EXEC:cat  <- peer udp-client
set -euo pipefail
scenario=$1 peer=$2
tmp=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$tmp"' EXIT

need() { command -v "$1" >/dev/null || { echo "SKIP: $1 is not installed"; exit 77; }; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
expect_ok() { # expect_ok OUTPUT-FILE
    if grep -q '^ok ' "$1"; then cat "$1"; else echo "FAIL:"; cat "$1"; exit 1; fi
}

case $scenario in
python-tcp-echo | python-udp-echo)
    need python3
    kind=${scenario#python-}; kind=${kind%-echo}
    python3 - "$kind" >"$tmp/port" <<'PY' &
import socket, sys
if sys.argv[1] == "tcp":
    l = socket.socket(); l.bind(("127.0.0.1", 0)); l.listen(1)
    print(l.getsockname()[1], flush=True)
    c, _ = l.accept()
    while (d := c.recv(65536)):
        c.sendall(d)
else:
    u = socket.socket(socket.AF_INET, socket.SOCK_DGRAM); u.bind(("127.0.0.1", 0))
    print(u.getsockname()[1], flush=True)
    u.settimeout(10)
    try:
        while True:
            d, a = u.recvfrom(65536); u.sendto(d, a)
    except socket.timeout:
        pass
PY
    for _ in $(seq 50); do [ -s "$tmp/port" ] && break; sleep 0.1; done
    if [ "$kind" = tcp ]; then n=2000; else n=500; fi
    timeout 30 "$peer" "$kind-client" "$(cat "$tmp/port")" $n >"$tmp/out" 2>&1 || true
    expect_ok "$tmp/out"
    ;;
python-tcp-client)
    need python3
    timeout 30 "$peer" tcp-server 2000 >"$tmp/out" 2>&1 &
    for _ in $(seq 50); do grep -q '^port ' "$tmp/out" 2>/dev/null && break; sleep 0.1; done
    port=$(awk '/^port /{print $2}' "$tmp/out")
    python3 - "$port" <<'PY'
import os, socket, sys
data = os.urandom(300000)
s = socket.create_connection(("127.0.0.1", int(sys.argv[1])))
got = bytearray(); sent = 0
s.setblocking(True)
while sent < len(data):            # send in uneven pieces, read what is echoed meanwhile
    n = s.send(data[sent:sent + 7000 + sent % 3001]); sent += n
    s.settimeout(0.001)
    try:
        while (d := s.recv(65536)): got += d
    except (socket.timeout, BlockingIOError):
        pass
    s.settimeout(None)
s.settimeout(10)
while len(got) < len(data):
    d = s.recv(65536)
    if not d: break
    got += d
s.close()
if bytes(got) != data:
    print(f"FAIL python client: echo differs ({len(got)} of {len(data)} bytes)"); sys.exit(1)
print(f"python client: {len(data)} random bytes echoed exactly")
PY
    wait
    expect_ok "$tmp/out"
    ;;
socat-tcp-echo | socat-udp-echo)
    need socat
    need python3
    port=$(free_port)
    if [ "$scenario" = socat-tcp-echo ]; then
        socat -T10 TCP4-LISTEN:"$port",bind=127.0.0.1,reuseaddr EXEC:cat &
        kind=tcp n=2000
    else
        socat -T10 UDP4-LISTEN:"$port",bind=127.0.0.1,reuseaddr EXEC:cat &
        kind=udp n=300
    fi
    for _ in $(seq 50); do
        if [ $kind = tcp ]; then ss -ltn | grep -q ":$port " && break; else ss -lun | grep -q ":$port " && break; fi
        sleep 0.1
    done
    timeout 30 "$peer" "$kind-client" "$port" $n >"$tmp/out" 2>&1 || true
    expect_ok "$tmp/out"
    ;;
*)
    echo "unknown scenario $scenario"; exit 2 ;;
esac
