#!/bin/sh
# twbench probe: a POSIX sh loop that reads a host's TCP counters and socket table and prints
# them as framed text on stdout. It runs under dash, busybox sh and bash, and it only reads:
# no file is written (not even /dev/null: every redirection here is a read or fd duplication),
# and nothing it runs is derived from what it reads.
#
# Usage (the caller passes the script text itself, never a command line built from data):
#   sh -c "<this text>" twbench-probe [COUNTER_SEC [TABLE_SEC [MAX_SAMPLES [TABLE_SOURCE
#         [TABLE_MAX_SEC [DOCKER_SEC [PRIVILEGE [DOCKER_WORD…]]]]]]]]
#   sh -s -- [COUNTER_SEC …] with this text on stdin (over SSH, whatever the login shell)
# Each parameter may also come from the environment; a positional argument wins:
#   COUNTER_SEC    TWBENCH_COUNTER_INTERVAL   counters every N s (default 1)
#   TABLE_SEC      TWBENCH_TABLE_INTERVAL     socket table every N s at least (default 2),
#                                             +1 s per 10,000 TCP sockets (inuse + tw)
#   MAX_SAMPLES    TWBENCH_MAX_SAMPLES        stop after N samples; 0 = run until killed
#   TABLE_SOURCE   TWBENCH_TABLE_SOURCE       auto | ss | proc (default auto: ss when present)
#   TABLE_MAX_SEC  TWBENCH_TABLE_MAX_INTERVAL cap of the stretched table interval (default 30)
#   DOCKER_SEC     TWBENCH_DOCKER_INTERVAL    docker inventory every N s (default 10; 0 = never)
#   PRIVILEGE      TWBENCH_PRIVILEGE          user | sudo | sudo-failed: how the caller started
#                                             this shell (sudo-failed: sudo -n was refused and
#                                             this is the unprivileged fallback); only reported
#   DOCKER_WORD…   TWBENCH_DOCKER_COMMAND     the docker command, one plain word per argument
#                                             (default: docker): docker | sudo -n docker | podman
#
# Output (protocol 1), one record per line:
#   @@twbench hello 1 endian=little|big|unknown netns=N ss=0|1 hostname=H kernel=K run=PID-EPOCH
#                   [key=value…]
#   @@twbench sample SEQ EPOCH_MS
#   @@section NAME          followed by the source's raw text
#   @@error NAME MESSAGE    the source NAME failed (instead of, or after part of, its body)
#   @@end SEQ
#
# Sections: sockstat, snmp, netstat, stat (every sample); ss (`ss -Htan`, or `ss -Htanp` when
# uid=0 or privilege=sudo), or proc_tcp and proc_tcp6 (table samples); docker_containers and docker_networks (docker samples: `inspect` of `ps -q
# --no-trunc`, `network inspect` of `network ls -q`, stderr folded in, so the CLI's complaint
# arrives as the section's text); and on table samples once docker has answered:
#   @@section container_ns        "<container id> <State.Pid> <netns inode>" per running container
#   @@section ns_unreadable       "<container id> <State.Pid>" per container whose namespace
#                                 could not be resolved (readlink needs root for others' pids)
#   @@section ns_tcp INODE        /proc/<pid>/net/tcp of one container namespace, once per
#   @@section ns_tcp6 INODE       distinct inode other than this shell's own (netns= of hello)

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
docker_s=${6:-${TWBENCH_DOCKER_INTERVAL:-10}}
privilege=${7:-${TWBENCH_PRIVILEGE:-user}}
if [ $# -ge 8 ]; then
    shift 7
    docker_cmd=$*
else
    docker_cmd=${TWBENCH_DOCKER_COMMAND:-docker}
fi

# Only small positive decimals reach arithmetic: a leading zero would read as octal, and a
# huge value would overflow.
case $counter_s in '' | 0* | *[!0-9]* | ?????*) counter_s=1 ;; esac
case $table_s in '' | 0* | *[!0-9]* | ?????*) table_s=2 ;; esac
case $table_max_s in '' | 0* | *[!0-9]* | ?????*) table_max_s=30 ;; esac
case $max_samples in 0) ;; '' | 0* | *[!0-9]* | ??????????*) max_samples=0 ;; esac
[ "$table_max_s" -ge "$table_s" ] || table_max_s=$table_s
case $docker_s in 0) ;; '' | 0* | *[!0-9]* | ?????*) docker_s=10 ;; esac
case $privilege in 'user' | 'sudo' | 'sudo-failed') ;; *) privilege=user ;; esac

# The docker command is run as $docker_cmd, unquoted, and never through eval: the shell splits
# it on spaces into words (set -f above: no word is ever matched against file names) and runs
# the first word with the others as its arguments. That is safe only because each word is a
# plain word, [A-Za-z0-9_.,:+=@%/-]: no quote, no $, no `, no ;, |, &, <, >, no glob character
# and no space inside a word, so splitting gives back exactly the words the caller validated
# (shell::plainWordError) and nothing in them is syntax. They are checked again here: one word
# that is not plain turns docker off rather than run something other than what was asked.
nl='
'
for word in $docker_cmd; do
    case $word in *[!A-Za-z0-9_.,:+=@%/-]*) docker_s=0 ;; esac
done
# shellcheck disable=SC2086 # split on purpose: see above
set -- $docker_cmd
docker_bin=${1:-}
[ -n "$docker_bin" ] || docker_s=0

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
            ss "-Htan$ss_processes"
        else
            ss "-tan$ss_processes"
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

# Lines "<id> <State.Pid>" of the running containers, from the last inventory; then, resolved
# once per inventory (a container's pid and namespace live as long as the container, and a
# readlink per container per table would cost a process each), the namespace of each.
container_pids=
container_ns=
ns_unreadable=
docker_answered=0

# Runs the docker command; its stderr joins stdout, so "permission denied" or "command not
# found" reach the reader as the section's text, which the parser recognises.
emit_docker() {
    container_pids=
    docker_answered=1
    printf '@@section docker_containers\n'
    case $(command -v "$docker_bin") in
    '')
        # Said the way a shell says it, as data: the parser knows the phrase.
        printf '%s: command not found (docker command: %s)\n' "$docker_bin" "$docker_cmd"
        resolve_namespaces
        return
        ;;
    esac
    # shellcheck disable=SC2086 # plain words, split on purpose
    answer=$($docker_cmd ps -q --no-trunc 2>&1)
    status=$?
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$answer"
        resolve_namespaces
        return
    fi
    ids=$(full_ids "$answer")
    if [ -n "$ids" ]; then
        # shellcheck disable=SC2086 # ids are checked hex words
        answer=$($docker_cmd inspect $ids 2>&1)
        # A container gone between ps and inspect makes inspect exit 1 with the others printed
        # and "Error: No such object" beside them: the parser skips that line, so no @@error.
        printf '%s\n' "$answer"
        container_pids=$(pids_of_inspect "$answer")
    fi
    resolve_namespaces

    printf '@@section docker_networks\n'
    # shellcheck disable=SC2086
    answer=$($docker_cmd network ls -q 2>&1)
    status=$?
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$answer"
        return
    fi
    ids=$(full_ids "$answer")
    # shellcheck disable=SC2086
    [ -z "$ids" ] || $docker_cmd network inspect $ids 2>&1
}

# The lines of $1 that are ids (12 to 64 hex digits), space separated: a WARNING line that the
# CLI printed beside them must not become an argument.
full_ids() {
    out=
    old_ifs=$IFS
    IFS=$nl
    for line in $1; do
        case $line in
        *[!0-9a-f]* | '' | ?????????????????????????????????????????????????????????????????*) ;;
        ????????????*) out="$out $line" ;;
        esac
    done
    IFS=$old_ifs
    printf '%s' "$out"
}

# "<id> <pid>" per running container of an inspect answer. docker and podman print it indented
# by four spaces a level, and a JSON string cannot hold a newline, so "Id" at depth two (eight
# spaces) is a container's own and "Pid" at depth three (twelve) is its State.Pid: a label or
# name that reads '"Id": …' sits deeper or inside a string and never matches.
pids_of_inspect() {
    printf '%s\n' "$1" | awk '
        /^    [{]$/ { id = "" }
        /^        "Id": "[0-9a-f]+",?$/ { id = $2; gsub(/[",]/, "", id) }
        /^            "Pid": [0-9]+,?$/ {
            pid = $2; sub(/,$/, "", pid)
            if (id != "" && 0 < pid + 0) print id, pid + 0
        }'
}

# readlink needs the right to ptrace the pid (root, or the same user): without it the inode
# stays unknown and the container goes to ns_unreadable.
resolve_namespaces() {
    container_ns=
    ns_unreadable=
    old_ifs=$IFS
    IFS=$nl
    for entry in $container_pids; do
        id=${entry%% *}
        pid=${entry#* }
        # A pid that is gone belongs to a container that stopped since `ps`: nothing to read.
        [ -e "/proc/$pid" ] || continue
        link=$(readlink "/proc/$pid/ns/net" 2>&1)
        inode=${link#*\[}
        inode=${inode%\]*}
        case $inode in
        '' | *[!0-9]*) ns_unreadable="$ns_unreadable$id $pid$nl" ;;
        *) container_ns="$container_ns$id $pid $inode$nl" ;;
        esac
    done
    IFS=$old_ifs
}

# With a table: which namespace is whose, then each distinct container namespace's sockets.
emit_namespaces() {
    printf '@@section container_ns\n%s' "$container_ns"
    [ -z "$ns_unreadable" ] || printf '@@section ns_unreadable\n%s' "$ns_unreadable"
    seen=" $netns "
    old_ifs=$IFS
    IFS=$nl
    for entry in $container_ns; do
        inode=${entry##* }
        case $seen in *" $inode "*) continue ;; esac
        seen="$seen$inode "
        pid=${entry#* }
        pid=${pid%% *}
        emit_ns_file ns_tcp "$inode" "/proc/$pid/net/tcp" "$pid"
        emit_ns_file ns_tcp6 "$inode" "/proc/$pid/net/tcp6" "$pid"
    done
    IFS=$old_ifs
}

# NAME INODE FILE PID. A missing tcp6 is IPv6 turned off; a missing tcp is a process that ended
# since the inventory (the next one drops it).
emit_ns_file() {
    if [ ! -e "$3" ]; then
        [ "$1" = ns_tcp ] || return 0
        printf '@@section %s %s\n@@error %s %s process %s has ended\n' "$1" "$2" "$1" "$2" "$4"
        return
    fi
    printf '@@section %s %s\n' "$1" "$2"
    if [ ! -r "$3" ]; then
        printf '@@error %s %s cannot read %s\n' "$1" "$2" "$3"
        return
    fi
    cat "$3"
    status=$?
    [ "$status" -eq 0 ] || printf '@@error %s %s cat exited with status %s\n' "$1" "$2" "$status"
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
# Who the probe runs as decides what it can see of other namespaces (and what to grant).
uid=$(id -u 2>&1)
case $uid in '' | *[!0-9]*) uid=unknown ;; esac
user=$(id -un 2>&1)
case $user in '' | *[!A-Za-z0-9._-]*) user=unknown ;; esac
# As root, ss -p adds each socket's processes, users:(("nginx",pid=1234,fd=6)), for the host's
# namespace (containers' sockets come from /proc/<pid>/net/tcp and stay without). Without root
# it would name only this account's own processes: not worth the walk of /proc/*/fd it costs.
ss_processes=
if [ "$uid" = 0 ] || [ "$privilege" = 'sudo' ]; then
    ss_processes=p
fi

table_mode_name=proc
case $table_mode in
ss_h) table_mode_name=ss-H ;;
ss_plain) table_mode_name=ss ;;
esac

# Each run numbers its samples from 1: the run id (this shell's pid and start time) tells a
# restarted probe's samples from the last run's.
started=$(date +%s)
case $started in '' | *[!0-9]*) started=0 ;; esac

printf '@@twbench hello %s endian=%s netns=%s ss=%s hostname=%s kernel=%s interval=%s table=%s tablemax=%s tablesource=%s docker=%s uid=%s user=%s privilege=%s run=%s-%s\n' \
    "$protocol" "$endian" "$netns" "$uses_ss" "$hostname" "$kernel" "$counter_s" "$table_s" \
    "$table_max_s" "$table_mode_name" "$docker_s" "$uid" "$user" "$privilege" "$$" "$started"

# --- the loop -------------------------------------------------------------------------------

seq=0
last_table_ms=
last_docker_ms=
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

    # Before the table, so the table of the same sample reads the namespaces just resolved.
    if [ "$docker_s" -gt 0 ]; then
        if [ -z "$last_docker_ms" ] || [ $((now_ms - last_docker_ms)) -ge $((docker_s * 1000 - slack_ms)) ] || [ $((now_ms - last_docker_ms)) -lt 0 ]; then
            emit_docker
            last_docker_ms=$now_ms
        fi
    fi

    if [ -z "$last_table_ms" ] || [ $((now_ms - last_table_ms)) -ge $((table_due_s * 1000 - slack_ms)) ] || [ $((now_ms - last_table_ms)) -lt 0 ]; then
        emit_table
        [ "$docker_answered" = 0 ] || emit_namespaces
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
