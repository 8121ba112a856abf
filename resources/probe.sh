#!/bin/sh
# twbench probe: a POSIX sh loop that reads a host's TCP counters and socket table and prints
# them as framed text on stdout. It runs under dash, busybox sh and bash, and it only reads:
# no file is written (not even /dev/null: every redirection here is a read or fd duplication),
# and nothing it runs is derived from what it reads.
#
# Usage (the caller passes the script text itself, never a command line built from data):
#   sh -c "<this text>" twbench-probe [COUNTER_SEC [TABLE_SEC [MAX_SAMPLES [TABLE_SOURCE [TABLE_MAX_SEC]]]]]
#   sh -s -- [COUNTER_SEC …] with this text on stdin (over SSH, whatever the login shell)
# Each parameter may also come from the environment; a positional argument wins:
#   COUNTER_SEC    TWBENCH_COUNTER_INTERVAL   counters every N s (default 1)
#   TABLE_SEC      TWBENCH_TABLE_INTERVAL     socket table every N s at least (default 2),
#                                             +1 s per 10,000 TCP sockets (inuse + tw)
#   MAX_SAMPLES    TWBENCH_MAX_SAMPLES        stop after N samples; 0 = run until killed
#   TABLE_SOURCE   TWBENCH_TABLE_SOURCE       auto | ss | proc (default auto: ss when present)
#   TABLE_MAX_SEC  TWBENCH_TABLE_MAX_INTERVAL cap of the stretched table interval (default 30)
#
# Output (protocol 1), one record per line:
#   @@twbench hello 1 endian=little|big|unknown netns=N ss=0|1 hostname=H kernel=K run=PID-EPOCH
#                   [key=value…]
#   @@twbench sample SEQ EPOCH_MS
#   @@section NAME          followed by the source's raw text
#   @@error NAME MESSAGE    the source NAME failed (instead of, or after part of, its body)
#   @@end SEQ

LC_ALL=C
export LC_ALL
# Word splitting of kernel text must never expand a '*' into file names.
set -f
# ss lives in /sbin or /usr/sbin, which a non-root SSH login often leaves out of PATH.
PATH=${PATH:-/usr/bin:/bin}:/usr/sbin:/sbin:/usr/bin:/bin
export PATH

protocol=1

counter_s=${1:-${TWBENCH_COUNTER_INTERVAL:-1}}
table_s=${2:-${TWBENCH_TABLE_INTERVAL:-2}}
max_samples=${3:-${TWBENCH_MAX_SAMPLES:-0}}
table_source=${4:-${TWBENCH_TABLE_SOURCE:-auto}}
table_max_s=${5:-${TWBENCH_TABLE_MAX_INTERVAL:-30}}

# Only small positive decimals reach arithmetic: a leading zero would read as octal, and a
# huge value would overflow.
case $counter_s in '' | 0* | *[!0-9]* | ?????*) counter_s=1 ;; esac
case $table_s in '' | 0* | *[!0-9]* | ?????*) table_s=2 ;; esac
case $table_max_s in '' | 0* | *[!0-9]* | ?????*) table_max_s=30 ;; esac
case $max_samples in 0) ;; '' | 0* | *[!0-9]* | ??????????*) max_samples=0 ;; esac
[ "$table_max_s" -ge "$table_s" ] || table_max_s=$table_s

# Copies a small /proc file with shell builtins: cheaper than a cat per file (no fork).
copy_file() {
    while IFS= read -r line || [ -n "$line" ]; do
        printf '%s\n' "$line"
    done <"$1"
}

emit_file() {
    printf '@@section %s\n' "$1"
    if [ -r "$2" ]; then
        copy_file "$2"
    else
        printf '@@error %s cannot read %s\n' "$1" "$2"
    fi
}

# sockstat is copied like the others, and its TCP line also gives the table's size (inuse +
# tw) that stretches the table interval; read here, so no extra process.
tcp_load=0
emit_sockstat() {
    tcp_load=0
    printf '@@section sockstat\n'
    if [ ! -r /proc/net/sockstat ]; then
        printf '@@error sockstat cannot read /proc/net/sockstat\n'
        return
    fi
    while IFS= read -r line || [ -n "$line" ]; do
        printf '%s\n' "$line"
        case $line in
        'TCP: '*) count_tcp_load $line ;;
        esac
    done </proc/net/sockstat
}

# "TCP: inuse 5 orphan 0 tw 12 alloc 7 mem 1"
count_tcp_load() {
    while [ $# -ge 2 ]; do
        case $1 in
        inuse | tw)
            case $2 in
            '' | *[!0-9]* | ???????????*) ;;
            *) tcp_load=$((tcp_load + $2)) ;;
            esac
            ;;
        esac
        shift
    done
}

# The big file of the fallback is left to cat: a shell read loop is slow over 100k lines.
emit_big_file() {
    [ -e "$2" ] || return 0 # no tcp6 when IPv6 is disabled: not an error
    printf '@@section %s\n' "$1"
    if [ ! -r "$2" ]; then
        printf '@@error %s cannot read %s\n' "$1" "$2"
        return
    fi
    cat "$2"
    status=$?
    [ "$status" -eq 0 ] || printf '@@error %s cat exited with status %s\n' "$1" "$status"
}

emit_table() {
    case $table_mode in
    ss_h | ss_plain)
        printf '@@section ss\n'
        if [ "$table_mode" = ss_h ]; then
            ss -Htan
        else
            ss -tan
        fi
        status=$?
        [ "$status" -eq 0 ] || printf '@@error ss ss exited with status %s\n' "$status"
        ;;
    *)
        emit_big_file proc_tcp /proc/net/tcp
        emit_big_file proc_tcp6 /proc/net/tcp6
        ;;
    esac
}

# --- once, at start -------------------------------------------------------------------------

# ss -HV prints the version when -H is known and fails on older iproute2 (before 4.15): a cheap
# way to learn whether headers can be turned off, without walking the table. Its output is
# captured and thrown away rather than sent to /dev/null, which would be a write open.
has_ss=0
case $(command -v ss) in /*) has_ss=1 ;; esac
table_mode=proc
case $table_source in
proc) ;;
*)
    if [ "$has_ss" = 1 ] || [ "$table_source" = ss ]; then
        if ss_version=$(ss -HV 2>&1); then
            table_mode=ss_h
        else
            table_mode=ss_plain
        fi
    fi
    ;;
esac
uses_ss=0
[ "$table_mode" = proc ] || uses_ss=1

# od shows the two bytes "ab" as one native 16-bit word: 6261 on little-endian machines.
endian=unknown
case $(printf ab | od -An -tx2 2>&1) in
*6261*) endian=little ;;
*6162*) endian=big ;;
esac

# "net:[4026531833]" -> 4026531833. readlink is a child of this shell, in the same namespace.
netns=$(readlink /proc/self/ns/net 2>&1)
netns=${netns#*\[}
netns=${netns%\]*}
case $netns in '' | *[!0-9]*) netns=0 ;; esac

hostname=unknown
[ -r /proc/sys/kernel/hostname ] && IFS= read -r hostname </proc/sys/kernel/hostname
kernel=unknown
[ -r /proc/sys/kernel/osrelease ] && IFS= read -r kernel </proc/sys/kernel/osrelease
# The hello is space separated: no value may contain a space.
case $hostname in '' | *[!A-Za-z0-9._-]*) hostname=unknown ;; esac
case $kernel in '' | *[!A-Za-z0-9._+~-]*) kernel=unknown ;; esac

table_mode_name=proc
case $table_mode in
ss_h) table_mode_name=ss-H ;;
ss_plain) table_mode_name=ss ;;
esac

# Each run numbers its samples from 1: the run id (this shell's pid and start time) tells a
# restarted probe's samples from the last run's.
started=$(date +%s)
case $started in '' | *[!0-9]*) started=0 ;; esac

printf '@@twbench hello %s endian=%s netns=%s ss=%s hostname=%s kernel=%s interval=%s table=%s tablemax=%s tablesource=%s run=%s-%s\n' \
    "$protocol" "$endian" "$netns" "$uses_ss" "$hostname" "$kernel" "$counter_s" "$table_s" \
    "$table_max_s" "$table_mode_name" "$$" "$started"

# --- the loop -------------------------------------------------------------------------------

seq=0
last_table_ms=
table_due_s=$table_s
# Half a counter interval of slack, so a 2 s table interval with 1 s counters takes every
# second sample even though each sample takes a few ms.
slack_ms=$((counter_s * 500))

while :; do
    seq=$((seq + 1))
    # GNU date gives nanoseconds; busybox prints "%N" literally: fall back to whole seconds.
    now=$(date +%s%N)
    case $now in
    *[!0-9]*) now=${now%%[!0-9]*} ;;
    esac
    if [ "${#now}" -ge 16 ]; then
        now_ms=${now%??????}
    elif [ -n "$now" ]; then
        now_ms=${now}000
    else
        now_ms=0
    fi

    printf '@@twbench sample %s %s\n' "$seq" "$now_ms"
    emit_sockstat
    emit_file snmp /proc/net/snmp
    emit_file netstat /proc/net/netstat
    emit_file stat /proc/stat

    if [ -z "$last_table_ms" ] || [ $((now_ms - last_table_ms)) -ge $((table_due_s * 1000 - slack_ms)) ] || [ $((now_ms - last_table_ms)) -lt 0 ]; then
        emit_table
        last_table_ms=$now_ms
        # Bigger tables cost more to walk: read them less often.
        table_due_s=$((table_s + tcp_load / 10000))
        [ "$table_due_s" -le "$table_max_s" ] || table_due_s=$table_max_s
    fi

    printf '@@end %s\n' "$seq"

    if [ "$max_samples" -gt 0 ] && [ "$seq" -ge "$max_samples" ]; then
        exit 0
    fi
    # A failing sleep would turn this loop into a busy spin: stop instead.
    sleep "$counter_s" || exit 70
done
