#!/bin/sh
# run-lab.sh start [OPTIONS…] | stop | status: the incident of shared/SCENARIO.md on loopback, for
# a demo by hand. `start` runs `twbench-lab --incident` in the background (tests/lab/incidentlab.h):
#   - an API (a real nginx) that answers an access-token JSON and closes every connection,
#   - nginx as its reverse proxy, without upstream keepalive,
#   - a poller fetching the token through nginx from the docker network's gateway address,
#   - combined access logs of both, and a stand-in `docker` that describes the two nginx as
#     containers on that network, with their real pids,
# and prints what runs where and how to point twbench at it. OPTIONS go to twbench-lab:
#   --fixed                the fix: upstream keepalive in nginx, keep-alive in the API
#   --rate R               poller requests per second (default 20)
#   --interval-ms MS       one request every MS instead (--fixed --interval-ms 60000: once a minute)
#   --subnet 127.A.B.      the docker network (gateway .1, proxy .10, API .20; default random)
#   --proxy-port P --api-port P --path /PATH --seconds S (default 900: it stops by itself)
# Everything stays on 127.0.0.0/8. `stop` ends it (by its pid: nginx and the poller go with it).
# Files go to $TWBENCH_LAB_DIR (default /tmp/twbench-incident-lab); twbench-lab is found in
# build/{release,dev,asan,…}/tests or at $TWBENCH_LAB_TOOL.
set -eu
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
dir=${TWBENCH_LAB_DIR:-/tmp/twbench-incident-lab}
pidfile=$dir/lab.pid

usage() {
    echo "usage: run-lab.sh start [--fixed] [--rate R | --interval-ms MS] [--subnet 127.A.B.] [--seconds S] | stop | status" >&2
    exit 2
}

# The pid of a running lab (from its pid file, checked to be twbench-lab), or nothing.
running_pid() {
    [ -f "$pidfile" ] || return 0
    pid=$(cat "$pidfile")
    case $pid in '' | *[!0-9]*) return 0 ;; esac
    if [ -r "/proc/$pid/cmdline" ] && tr '\0' ' ' <"/proc/$pid/cmdline" | grep -q 'twbench-lab.*--incident'; then
        echo "$pid"
    fi
}

find_tool() {
    if [ -n "${TWBENCH_LAB_TOOL:-}" ]; then
        echo "$TWBENCH_LAB_TOOL"
        return
    fi
    # The newest build's: an older build tree may hold a twbench-lab from before an option.
    newest=$(ls -t "$root"/build/*/tests/twbench-lab 2>/dev/null | head -n 1)
    if [ -n "$newest" ] && [ -x "$newest" ]; then
        echo "$newest"
    fi
}

cmd=${1:-}
[ $# -gt 0 ] && shift
case $cmd in
start)
    pid=$(running_pid)
    if [ -n "$pid" ]; then
        echo "the lab already runs (pid $pid):"
        cat "$dir/ready.txt" 2>/dev/null || true
        exit 0
    fi
    tool=$(find_tool)
    if [ -z "$tool" ]; then
        echo "run-lab.sh: twbench-lab is not built: cmake --build --preset release --target twbench-lab" >&2
        exit 1
    fi
    mkdir -p "$dir"
    # Only what an earlier run of the lab left here.
    rm -rf "$dir/proxy" "$dir/api" "$dir/docker"
    rm -f "$dir/ready.txt" "$dir/poller.out"
    nohup "$tool" --incident --dir "$dir" --fake-docker "$root/tests/data/docker/fake-docker" \
        --ready-file "$dir/ready.txt" "$@" >"$dir/lab.log" 2>&1 &
    echo $! >"$pidfile"
    tries=0
    while [ ! -s "$dir/ready.txt" ]; do
        tries=$((tries + 1))
        if [ -z "$(running_pid)" ] || [ "$tries" -gt 100 ]; then
            echo "run-lab.sh: the lab did not start:" >&2
            cat "$dir/lab.log" >&2
            pid=$(running_pid)
            [ -z "$pid" ] || kill "$pid"
            exit 1
        fi
        sleep 0.2
    done
    cat "$dir/ready.txt"
    echo "Stop it with: $0 stop"
    ;;
stop)
    pid=$(running_pid)
    if [ -z "$pid" ]; then
        echo "no lab runs"
        exit 0
    fi
    kill -TERM "$pid"
    tries=0
    while [ -n "$(running_pid)" ] && [ "$tries" -lt 50 ]; do
        tries=$((tries + 1))
        sleep 0.2
    done
    pid=$(running_pid)
    [ -z "$pid" ] || kill -KILL "$pid"
    rm -f "$pidfile"
    tail -n 1 "$dir/lab.log" 2>/dev/null || true
    echo "stopped; files stay in $dir"
    ;;
status)
    pid=$(running_pid)
    if [ -z "$pid" ]; then
        echo "no lab runs"
        exit 1
    fi
    echo "the lab runs (pid $pid):"
    cat "$dir/ready.txt"
    ;;
*) usage ;;
esac
