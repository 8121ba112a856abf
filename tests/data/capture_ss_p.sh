#!/bin/sh
# Captures `ss -Htanp` for the process-column tests (tests/model/test_parsers.cpp, SsProcesses).
#
# Run as root on a dev machine:  sudo tests/data/capture_ss_p.sh
# Needs: unshare (util-linux), ip and ss (iproute2), python3.
#
# In a private network namespace, processes whose names (comm, as ss prints them) are:
#   web-server    two processes (a pre-forked worker) sharing the listener 127.0.0.11:7101 and
#                 the server ends of 2 ESTABLISHED connections: two entries in users:
#   client a      (a blank in the name) the client ends, from 127.0.0.21:41101-41102
#   q"uo(te)s,x   the listener 127.0.0.12:7102; ss prints the comm up to its first ')'
# and 3 TIME_WAIT on 127.0.0.12:7102 from 127.0.0.22:42101-42103 (no users: column: a TIME_WAIT
# socket has no process). Writes tests/data/ss_Htanp.txt.
set -eu

here=$(cd "$(dirname "$0")" && pwd)

if [ "$(id -u)" -ne 0 ]; then
    echo "capture_ss_p.sh: run as root (it creates a network namespace)" >&2
    exit 1
fi

if [ "${1:-}" != "--inside-namespace" ]; then
    exec unshare --net "$0" --inside-namespace
fi

ip link set lo up

python3 - "$here/ss_Htanp.txt" <<'PYTHON'
import ctypes, os, signal, socket, subprocess, sys, time

libc = ctypes.CDLL(None)

def set_name(name):
    libc.prctl(15, ctypes.c_char_p(name.encode()), 0, 0, 0)  # PR_SET_NAME

def listener(address, port):
    s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    s.bind((address, port))
    s.listen(64)
    return s

def connect(address, port, local):
    c = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    c.bind(local)
    c.connect((address, port))
    return c

def hold(name, keep):
    """Forks a process called `name` that holds only the sockets in `keep`."""
    pid = os.fork()
    if pid == 0:
        set_name(name)
        fds = {s.fileno() for s in keep}
        for fd in os.listdir("/proc/self/fd"):
            fd = int(fd)
            if fd > 2 and fd not in fds:
                try:
                    os.close(fd)
                except OSError:
                    pass
        time.sleep(3600)
        os._exit(0)
    return pid

pids = []
web = listener("127.0.0.11", 7101)
clients = [connect("127.0.0.11", 7101, ("127.0.0.21", 41101 + i)) for i in range(2)]
served = [web.accept()[0] for _ in range(2)]
quoted = listener("127.0.0.12", 7102)
closing = [connect("127.0.0.12", 7102, ("127.0.0.22", 42101 + i)) for i in range(3)]
for _ in range(3):
    quoted.accept()[0].close()  # the server closes first: TIME_WAIT on its side

pids.append(hold("web-server", [web] + served))
pids.append(hold("web-server", [web] + served))  # a pre-forked worker sharing the sockets
pids.append(hold("client a", clients))
pids.append(hold('q"uo(te)s,x', [quoted]))
for s in [web, quoted] + clients + served + closing:
    s.close()
time.sleep(0.3)
out = subprocess.run(["ss", "-Htanp"], capture_output=True, check=True).stdout
for pid in pids:
    os.kill(pid, signal.SIGKILL)
with open(sys.argv[1], "wb") as f:
    f.write(out)
sys.stdout.write(out.decode(errors="replace"))
PYTHON
