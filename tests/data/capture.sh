#!/bin/sh
# Captures real collector output for the parser tests (tests/model/test_parsers.cpp).
#
# Run as root on a dev machine:  sudo tests/data/capture.sh
# Needs: unshare (util-linux), ip and ss (iproute2), netstat (net-tools), python3.
#
# It works in a private network namespace, so the captures hold exactly the sockets made here
# and nothing else running on the machine; the tests assert on them by address and port.
#
# The sockets (fixed ports: the namespace is new, so they are always free):
#   127.0.0.11:7001  IPv4 listener; 3 ESTABLISHED from 127.0.0.21:41001-41003
#   127.0.0.12:7002  IPv4 listener that closes first: 300 TIME_WAIT from 127.0.0.22:42000-42299
#   [::]:7003        dual-stack listener:
#                      ESTABLISHED from 127.0.0.23:43001 (an IPv4 client: ::ffff: in tcp6)
#                      ESTABLISHED from [::1]:43002
#                      50 TIME_WAIT from 127.0.0.24:44000-44049 (IPv4 clients, mapped)
#                      50 TIME_WAIT from [::1]:45000-45049
#   [::1]:7004       IPv6-only listener; 2 ESTABLISHED from [::1]:46001-46002
#   [fe80::1]%lo:7005  link-local listener (ss prints the scope); 1 ESTABLISHED from
#                    [fe80::1]:47001
#   127.0.0.13%lo:7006  IPv4 listener bound to lo (SO_BINDTODEVICE: ss prints "%lo")
#
# Then, in one moment, it reads: /proc/net/tcp, /proc/net/tcp6, ss -Htan, ss -tan, netstat -tn,
# netstat -ant, /proc/net/sockstat, /proc/net/snmp, /proc/net/netstat, and /proc/stat twice a
# second apart. /proc/net/tcp{,6} are read again last; if the socket list changed meanwhile the
# whole capture is retried. TIME_WAIT lasts 60 s, so a capture well under a second is stable.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
    echo "capture.sh: run as root (it creates a network namespace)" >&2
    exit 1
fi

if [ "${1:-}" != "--inside-namespace" ]; then
    exec unshare --net "$0" --inside-namespace
fi

ip link set lo up
ip addr add fe80::1/64 dev lo nodad

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
mkfifo "$work/control"

# The socket owner: prints "ready" once every socket is in its state, then holds them until
# its stdin (the fifo) closes.
python3 - "$work/control" > "$work/sockets.log" 2>&1 <<'PYTHON' &
import socket, sys

held = []

def listener(family, address, v6only=None, device=None):
    s = socket.socket(family, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    if v6only is not None:
        s.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1 if v6only else 0)
    if device:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_BINDTODEVICE, device)
    s.bind(address)
    s.listen(1024)
    held.append(s)
    return s

def connect(family, local, remote):
    c = socket.socket(family, socket.SOCK_STREAM)
    c.bind(local)
    c.connect(remote)
    return c

def established(server, family, local, remote):
    c = connect(family, local, remote)
    a, _ = server.accept()
    held.extend([c, a])

def time_wait(server, family, local, remote):
    # The server closes first, so its side is the one left in TIME_WAIT; the client waits for
    # the server's FIN before closing, so its side ends CLOSED rather than also in TIME_WAIT.
    c = connect(family, local, remote)
    a, _ = server.accept()
    a.close()
    assert c.recv(1) == b""
    c.close()

v4, v6 = socket.AF_INET, socket.AF_INET6
lo_index = socket.if_nametoindex("lo")

s7001 = listener(v4, ("127.0.0.11", 7001))
for port in range(41001, 41004):
    established(s7001, v4, ("127.0.0.21", port), ("127.0.0.11", 7001))

s7002 = listener(v4, ("127.0.0.12", 7002))
for port in range(42000, 42300):
    time_wait(s7002, v4, ("127.0.0.22", port), ("127.0.0.12", 7002))

s7003 = listener(v6, ("::", 7003), v6only=False)
established(s7003, v4, ("127.0.0.23", 43001), ("127.0.0.1", 7003))
established(s7003, v6, ("::1", 43002), ("::1", 7003))
for port in range(44000, 44050):
    time_wait(s7003, v4, ("127.0.0.24", port), ("127.0.0.1", 7003))
for port in range(45000, 45050):
    time_wait(s7003, v6, ("::1", port), ("::1", 7003))

s7004 = listener(v6, ("::1", 7004), v6only=True)
for port in (46001, 46002):
    established(s7004, v6, ("::1", port), ("::1", 7004))

s7005 = listener(v6, ("fe80::1", 7005, 0, lo_index))
established(s7005, v6, ("fe80::1", 47001, 0, lo_index), ("fe80::1", 7005, 0, lo_index))

listener(v4, ("127.0.0.13", 7006), device=b"lo")

print("ready", flush=True)
with open(sys.argv[1]) as control:
    control.read()
PYTHON
owner=$!
exec 3> "$work/control" # opened after the owner, so its read blocks until we close fd 3

for _ in $(seq 1 100); do
    grep -q ready "$work/sockets.log" 2>/dev/null && break
    if ! kill -0 "$owner" 2>/dev/null; then
        cat "$work/sockets.log" >&2
        exit 1
    fi
    sleep 0.1
done
grep -q ready "$work/sockets.log" || { cat "$work/sockets.log" >&2; exit 1; }

# The 4-tuples and states of the /proc tables: what must not change during one capture.
socket_list() {
    awk 'NR > 1 { print $2, $3, $4 }' /proc/net/tcp /proc/net/tcp6 | sort
}

attempt=0
while :; do
    attempt=$((attempt + 1))
    before=$(socket_list)
    cat /proc/net/tcp > "$work/proc_net_tcp.txt"
    cat /proc/net/tcp6 > "$work/proc_net_tcp6.txt"
    ss -Htan > "$work/ss_Htan.txt"
    ss -tan > "$work/ss_tan.txt"
    netstat -tn > "$work/netstat_tn.txt"
    netstat -ant > "$work/netstat_ant.txt"
    cat /proc/net/sockstat > "$work/proc_net_sockstat.txt"
    cat /proc/net/snmp > "$work/proc_net_snmp.txt"
    cat /proc/net/netstat > "$work/proc_net_netstat.txt"
    cat /proc/stat > "$work/proc_stat_1.txt"
    after=$(socket_list)
    [ "$before" = "$after" ] && break
    if [ "$attempt" -ge 5 ]; then
        echo "capture.sh: the socket table kept changing; giving up" >&2
        exit 1
    fi
done
sleep 1
cat /proc/stat > "$work/proc_stat_2.txt"

exec 3>&- # lets the socket owner exit
wait "$owner"

for file in proc_net_tcp proc_net_tcp6 ss_Htan ss_tan netstat_tn netstat_ant proc_net_sockstat \
    proc_net_snmp proc_net_netstat proc_stat_1 proc_stat_2; do
    cp "$work/$file.txt" "$here/$file.txt"
done
uname -r > "$here/capture_kernel.txt"
echo "capture.sh: captured in attempt $attempt into $here"
wc -c "$here"/*.txt
