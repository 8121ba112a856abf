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
#   TABLE_SOURCE   TWBENCH_TABLE_SOURCE       auto | ss | proc | fold (default auto: ss when
#                                             present, fold from 10,000 TCP sockets); fold:
#                                             /proc/net/tcp{,6} with the TIME_WAIT lines
#                                             folded by awk (see fold_program)
#   TABLE_MAX_SEC  TWBENCH_TABLE_MAX_INTERVAL cap of the stretched table interval (default 30)
#   DOCKER_SEC     TWBENCH_DOCKER_INTERVAL    docker inventory every N s (default 10; 0 = never)
#   PRIVILEGE      TWBENCH_PRIVILEGE          user | sudo | sudo-failed: how the caller started
#                                             this shell (sudo-failed: sudo -n was refused and
#                                             this is the unprivileged fallback); only reported
#   DOCKER_WORD…   TWBENCH_DOCKER_COMMAND     the docker command, one plain word per argument
#                                             (default: docker): docker | sudo -n docker | podman
# For tests only (a test cannot lay out /sys/fs/cgroup or /proc/<pid>/cgroup without root), the
# two roots read to find containers' cgroups, and nothing else, can be moved:
#   TWBENCH_CGROUP_ROOT  where the cgroup hierarchies are mounted (default /sys/fs/cgroup)
#   TWBENCH_PROC_ROOT    where /proc/<container pid>/cgroup is read (default /proc)
# and the samples paced by a sleep process each even where vmstat is (the fallback's path):
#   TWBENCH_PACING=sleep
#
# Output (protocol 1), one record per line:
#   @@twbench hello 1 endian=little|big|unknown netns=N ss=0|1 hostname=H kernel=K run=PID-EPOCH
#                   [key=value…]   (also cpus=N: online CPUs, 0 unknown; cgroup=v1|v2|hybrid|none;
#                   the limits that make TIME_WAIT a danger, from /proc/sys/net/ipv4, each
#                   "unknown" when unreadable: portrange=LOW-HIGH (ip_local_port_range),
#                   twbuckets=N (tcp_max_tw_buckets), twreuse=0|1|2 (tcp_tw_reuse);
#                   pacing=vmstat|sleep: what times the samples, see the loop)
#   @@twbench sample SEQ EPOCH_MS
#   @@section NAME          followed by the source's raw text
#   @@error NAME MESSAGE    the source NAME failed (instead of, or after part of, its body)
#   @@end SEQ
#
# Sections: sockstat, snmp, netstat, stat (every sample); ss (`ss -Htan`, or `ss -Htanp` when
# uid=0 or privilege=sudo), or proc_tcp and proc_tcp6 (table samples), which with the fold hold
# every line but the TIME_WAIT ones, each followed by:
#   @@section proc_tcp_tw         the TIME_WAIT lines of proc_tcp (proc_tcp6_tw: of proc_tcp6),
#                                 folded: "LOCAL REMOTE PORTS" in the kernel's hex, where one of
#                                 LOCAL and REMOTE has the port "*" and PORTS is the run of
#                                 4-digit hex ports that fill it, one TIME_WAIT socket each. The
#                                 kernel prints a TIME_WAIT line with zero queues, uid and inode,
#                                 so nothing that the table keeps is lost: 4 bytes a socket
#                                 instead of 150;
# after the fold, when the probe would have run `ss -Htanp` (uid=0 or privilege=sudo) and ss is
# there, with the first folded table and then at most every 30 s:
#   @@section ss_listeners        `ss -Htnp state listening` (without -H, and with its header,
#                                 where -H is unknown): the listening sockets alone, with their
#                                 processes, for the names the fold has no column for. ss leaves
#                                 out the State column when it lists one state: "0 511
#                                 0.0.0.0:80 0.0.0.0:* users:((\"nginx\",pid=1234,fd=6),…)";
# docker_containers and docker_networks (docker samples: `inspect` of `ps -q
# --no-trunc`, `network inspect` of `network ls -q`, stderr folded in, so the CLI's complaint
# arrives as the section's text); on every sample once docker has answered:
#   @@section cgroup_cpu          "<container id> <CPU microseconds> <how found>" per running
#                                 container: the cumulative CPU use of its cgroup (cgroup v2
#                                 cpu.stat usage_usec, or v1 cpuacct.usage in ns cut to µs), how
#                                 found being v1-|v2- and pid (its /proc/<pid>/cgroup) or a
#                                 layout: systemd, cgroupfs, podman, podman-user, podman-cgroupfs;
#                                 or "<container id> - <why>": none (no cgroup found), root (its
#                                 process is in the root cgroup: its use is the machine's), gone
#                                 (its cgroup went away since the inventory), unreadable; and an
#                                 @@error when no cgroup hierarchy is mounted at all
# and on table samples once docker has answered:
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
# Only read from, but still: an absolute path of plain characters, or the default.
cgroup_root=${TWBENCH_CGROUP_ROOT:-/sys/fs/cgroup}
proc_root=${TWBENCH_PROC_ROOT:-/proc}
case $cgroup_root in /*[!A-Za-z0-9_.,:+=@%/-]* | [!/]* | '') cgroup_root=/sys/fs/cgroup ;; esac
case $proc_root in /*[!A-Za-z0-9_.,:+=@%/-]* | [!/]* | '') proc_root=/proc ;; esac

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

# snmp, netstat and stat in one awk: the shell's read takes a system call per byte, so copying
# these three costs it more (1.2 ms with sockstat) than starting a process that reads them whole
# (0.9 ms). On a folded table's sample they go through the fold's awk: one process for both.
# A file that cannot be read is said here and left out of awk's operands, which would stop at
# it. Without awk, the shell copies them.
# Sets counter_args: the awk operands (fixed words, no data: split on purpose) that copy the
# readable files, each as its section.
counter_operands() {
    counter_args=
    for pair in snmp=/proc/net/snmp netstat=/proc/net/netstat stat=/proc/stat; do
        if [ -r "${pair#*=}" ]; then
            counter_args="$counter_args section=${pair%%=*} ${pair#*=}"
        else
            printf '@@section %s\n@@error %s cannot read %s\n' "${pair%%=*}" "${pair%%=*}" "${pair#*=}"
        fi
    done
}

emit_counter_files() {
    if [ "$has_awk" = 0 ]; then
        emit_file snmp /proc/net/snmp
        emit_file netstat /proc/net/netstat
        emit_file stat /proc/stat
        return
    fi
    counter_operands
    [ -n "$counter_args" ] || return 0
    # shellcheck disable=SC2086 # fixed words, split on purpose
    awk "$fold_program" copy=1 $counter_args
    status=$?
    [ "$status" -eq 0 ] || printf '@@error stat awk exited with status %s\n' "$status"
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
        # shellcheck disable=SC2086 # split on purpose: its words are the arguments (set -f)
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

# The fold: one awk over /proc/net/tcp and tcp6 (one process for both) copies every line but
# the TIME_WAIT ones (state 06), and gathers those by what they share: a TIME_WAIT on the
# server's side shares its local endpoint and remote address with the others from that client
# (only the client's port differs), one on the client's side its local address and remote
# endpoint. Each group is printed after its file's other lines as "LOCAL REMOTE PORTS" lines of
# at most 128 ports (an awk string grown a port at a time is copied each time: short runs keep
# that linear). The first socket of a group picks its side: the server's when its local port
# listens (the kernel lists listeners first) or is the lower port, else the client's; either
# way the other candidate is remembered, so a group that the rule split (a service that
# stopped listening, on a high port) joins it from its second socket on. Which side is folded
# only decides how well it folds: every socket comes back. Columns are taken by offset from
# the slot's ':' (the kernel prints them at fixed width; the reader checks every field). No
# comparison uses '>', so no line of this file can be taken for a redirection, and it only
# prints: no getline, system() or output to a file or pipe.
# shellcheck disable=SC2016 # an awk program: its $0 and $names are awk's, not the shell's
fold_program='
FNR == 1 {
    if (folding)
        flush()
    # Operands set these for the next file: flush() prints the previous file with its own.
    name = section
    w = width
    folding = !copy
    print "@@section " name
}
copy {
    print
    next
}
{
    at = index($0, ":") + 2
    state = substr($0, at + 2 * w + 12, 2)
    if (state != "06") {
        if (state == "0A")
            listening[substr($0, at + w + 1, 4)] = 1
        print
        next
    }
    a = substr($0, at, 2 * w + 6)
    if (a in remotes) {
        v = remotes[a] substr($0, at + 2 * w + 7, 4)
        if (length(v) == 512) {
            full[runs++] = a ":* " v
            v = ""
        }
        remotes[a] = v
        next
    }
    b = substr($0, at, w) substr($0, at + w + 6, w + 5)
    if (b in locals) {
        v = locals[b] substr($0, at + w + 1, 4)
        if (length(v) == 512) {
            full[runs++] = substr(b, 1, w) ":* " substr(b, w + 1) " " v
            v = ""
        }
        locals[b] = v
        next
    }
    lport = substr($0, at + w + 1, 4)
    rport = substr($0, at + 2 * w + 7, 4)
    if (a in seen) {
        remotes[a] = rport
    } else if (b in seen) {
        locals[b] = lport
    } else if (lport in listening || lport < rport) {
        remotes[a] = rport
        seen[b] = 1
    } else {
        locals[b] = lport
        seen[a] = 1
    }
}
END {
    if (folding)
        flush()
}
function flush(  i, key) {
    print "@@section " name "_tw"
    for (i = 0; i < runs; i++)
        print full[i]
    for (key in remotes)
        if (remotes[key] != "")
            print key ":* " remotes[key]
    for (key in locals)
        if (locals[key] != "")
            print substr(key, 1, w) ":* " substr(key, w + 1) " " locals[key]
    runs = 0
    split("", full)
    split("", remotes)
    split("", locals)
    split("", seen)
    split("", listening)
}'

# Sections proc_tcp, proc_tcp_tw, proc_tcp6, proc_tcp6_tw (see the fold above).
emit_folded_tables() {
    if [ ! -r /proc/net/tcp ]; then
        printf '@@section proc_tcp\n@@error proc_tcp cannot read /proc/net/tcp\n'
        return
    fi
    # Operands "width=… section=…" set those before the file after them is read.
    # shellcheck disable=SC2086 # fixed words, split on purpose
    if [ -r /proc/net/tcp6 ]; then
        awk "$fold_program" copy=1 $counter_args copy=0 width=8 section=proc_tcp /proc/net/tcp \
            width=32 section=proc_tcp6 /proc/net/tcp6
    else
        awk "$fold_program" copy=1 $counter_args copy=0 width=8 section=proc_tcp /proc/net/tcp
    fi
    status=$?
    [ "$status" -eq 0 ] || printf '@@error proc_tcp awk exited with status %s\n' "$status"
    if [ -e /proc/net/tcp6 ] && [ ! -r /proc/net/tcp6 ]; then
        printf '@@section proc_tcp6\n@@error proc_tcp6 cannot read /proc/net/tcp6\n'
    fi
}

# The fold has no process column, and ss -p would name the processes only by walking the whole
# table. Asked for the one state LISTEN, the kernel dumps the listeners and skips the table
# (ss -l asks for CLOSE as well, which walks every TIME_WAIT: 17 ms instead of 3 at 80,000), so
# what is left is the walk of every process's /proc/<pid>/fd that -p always costs, and a line
# per listener. The listeners' processes name the services, and through their endpoints the
# connections they serve; the other sockets of the fold stay without a process.
emit_listeners() {
    printf '@@section ss_listeners\n'
    if [ "$listeners_mode" = ss_h ]; then
        ss -Htnp state listening
    else
        ss -tnp state listening
    fi
    status=$?
    [ "$status" -eq 0 ] || printf '@@error ss_listeners ss exited with status %s\n' "$status"
}

# Auto reads big tables folded: from this many TCP sockets (inuse + tw, as sockstat says just
# before the table) the fold costs less server CPU than ss and ships about 1/25 of its bytes
# (bench/remote/remote_cost.cpp measures both); below it, ss, whose -p names processes as root.
fold_min=10000

# Sets mode: how this sample's table is read (after emit_sockstat, which sets tcp_load).
choose_table_mode() {
    mode=$table_mode
    if [ "$auto_fold" = 1 ] && [ "$tcp_load" -ge "$fold_min" ]; then
        mode='fold'
    fi
}

# After choose_table_mode.
emit_table() {
    case $mode in
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
    fold)
        emit_folded_tables
        # The listeners change seldom and ss -p costs a walk of every process's descriptors:
        # with the first folded table, then at most every 30 s (the workstation keeps each
        # listener's process in between, by its inode).
        if [ -n "$listeners_mode" ] && { [ -z "$last_listeners_ms" ] ||
            [ $((now_ms - last_listeners_ms)) -ge 30000 ] || [ $((now_ms - last_listeners_ms)) -lt 0 ]; }; then
            emit_listeners
            last_listeners_ms=$now_ms
        fi
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
        resolve_containers
        return
        ;;
    esac
    # shellcheck disable=SC2086 # plain words, split on purpose
    answer=$($docker_cmd ps -q --no-trunc 2>&1)
    status=$?
    if [ "$status" -ne 0 ]; then
        printf '%s\n' "$answer"
        resolve_containers
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
    resolve_containers

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

resolve_containers() {
    resolve_namespaces
    resolve_cgroups
}

# --- containers' CPU use ----------------------------------------------------------------------
# Where each running container's CPU counter is, found once per inventory and cached here as
# lines "<id> <how found> <file>" (or "<id> - <why>"), so that each sample costs one `read` per
# container and no process.
cgroup_cache=

# Keeps the cached file of a container that is still running while the file is there, and
# looks up the others.
resolve_cgroups() {
    cg_old="$nl$cgroup_cache"
    cgroup_cache=
    cg_ifs=$IFS
    IFS=$nl
    for entry in $container_pids; do
        IFS=$cg_ifs
        id=${entry%% *}
        pid=${entry#* }
        cg_tag=-
        case $cg_old in
        *"$nl$id "*)
            cached=${cg_old#*"$nl$id "}
            cached=${cached%%"$nl"*}
            cg_tag=${cached%% *}
            cg_file=${cached#* }
            ;;
        esac
        if [ "$cg_tag" = - ] || [ ! -r "$cg_file" ]; then
            resolve_cgroup "$id" "$pid"
        fi
        cgroup_cache="$cgroup_cache$id $cg_tag $cg_file$nl"
    done
    IFS=$cg_ifs
}

# ID PID: sets cg_tag and cg_file, or cg_tag=- and cg_file to why not. The pid's own
# /proc/<pid>/cgroup comes first: it holds whatever layout the runtime chose. The known
# layouts named after the id come next, v1's cpuacct (the controller in use on a hybrid host)
# before v2. A pid whose cgroup is not named after the container is not taken: that would be a
# pid reused since the inventory, or a runtime nesting the probe does not know.
resolve_cgroup() {
    cg_tag=-
    cg_file=none
    cg_v1_rel=
    cg_v2_rel=
    if [ -r "$proc_root/$2/cgroup" ]; then
        # "hierarchy-id:controllers:path"; "0::path" is v2's.
        while IFS= read -r line || [ -n "$line" ]; do
            rest=${line#*:}
            case $line in
            0::*) cg_v2_rel=${rest#*:} ;;
            *)
                controllers=${rest%%:*}
                case ,$controllers, in *,cpuacct,*) cg_v1_rel=${rest#*:} ;; esac
                ;;
            esac
        done <"$proc_root/$2/cgroup"
        if [ -n "$cg_v1" ] && cg_named "$cg_v1_rel" "$1" &&
            cg_try v1-pid "$cg_v1$cg_rel/cpuacct.usage"; then
            return
        fi
        if [ -n "$cg_v2" ] && cg_named "$cg_v2_rel" "$1" &&
            cg_try v2-pid "$cg_v2$cg_rel/cpu.stat"; then
            return
        fi
    fi
    if [ -n "$cg_v1" ]; then
        cg_try v1-cgroupfs "$cg_v1/docker/$1/cpuacct.usage" && return
        cg_try v1-systemd "$cg_v1/system.slice/docker-$1.scope/cpuacct.usage" && return
        cg_try v1-podman "$cg_v1/machine.slice/libpod-$1.scope/cpuacct.usage" && return
        cg_try v1-podman-cgroupfs "$cg_v1/libpod_parent/libpod-$1/cpuacct.usage" && return
    fi
    if [ -n "$cg_v2" ]; then
        cg_try v2-systemd "$cg_v2/system.slice/docker-$1.scope/cpu.stat" && return
        cg_try v2-cgroupfs "$cg_v2/docker/$1/cpu.stat" && return
        cg_try v2-podman "$cg_v2/machine.slice/libpod-$1.scope/cpu.stat" && return
        cg_user="$cg_v2/user.slice/user-$uid.slice/user@$uid.service"
        cg_try v2-podman-user "$cg_user/user.slice/libpod-$1.scope/cpu.stat" && return
        cg_try v2-podman-user "$cg_user/app.slice/libpod-$1.scope/cpu.stat" && return
        cg_try v2-podman-cgroupfs "$cg_v2/libpod_parent/libpod-$1/cpu.stat" && return
    fi
    # In the root cgroup of the hierarchy it would be read from: the machine's use, not its own.
    if [ -n "$cg_v1" ]; then
        [ "$cg_v1_rel" != / ] || cg_file=root
    elif [ -n "$cg_v2" ]; then
        [ "$cg_v2_rel" != / ] || cg_file=root
    fi
}

cg_try() {
    [ -r "$2" ] || return 1
    cg_tag=$1
    cg_file=$2
}

# PATH ID: whether a component of cgroup PATH names container ID; cg_rel becomes PATH up to the
# end of that component, so a process in a sub-cgroup of its container
# (/system.slice/docker-ID.scope/init.scope) still counts the whole container's use. A path
# that climbs ("/../..": the probe is in another cgroup namespace) names nothing here.
cg_named() {
    cg_rel=
    case $1 in
    *"$2"*) ;;
    *) return 1 ;;
    esac
    case $1/ in */../*) return 1 ;; esac
    cg_tail=${1#*"$2"}
    cg_rel=${1%%"$2"*}$2${cg_tail%%/*}
}

# One line per cached container: a read of one small file each.
emit_cgroup_cpu() {
    printf '@@section cgroup_cpu\n'
    [ -n "$cg_v1$cg_v2" ] ||
        printf '@@error cgroup_cpu no cgroup v1 cpuacct or v2 hierarchy is mounted at %s\n' "$cgroup_root"
    cg_ifs=$IFS
    IFS=$nl
    for entry in $cgroup_cache; do
        IFS=$cg_ifs
        id=${entry%% *}
        rest=${entry#* }
        cg_tag=${rest%% *}
        cg_file=${rest#* }
        if [ "$cg_tag" = - ]; then
            printf '%s - %s\n' "$id" "$cg_file"
            continue
        fi
        if [ ! -r "$cg_file" ]; then
            printf '%s - gone\n' "$id"
            continue
        fi
        usage=
        case $cg_tag in
        v1-*)
            # Nanoseconds: cut to microseconds as text, which cannot overflow.
            read -r usage <"$cg_file"
            case $usage in
            '' | *[!0-9]*) usage= ;;
            ????*) usage=${usage%???} ;;
            *) usage=0 ;;
            esac
            ;;
        *)
            # "usage_usec N" is cpu.stat's first line.
            while read -r key value; do
                if [ "$key" = usage_usec ]; then
                    usage=$value
                    break
                fi
            done <"$cg_file"
            ;;
        esac
        case $usage in
        '' | *[!0-9]*) printf '%s - unreadable\n' "$id" ;;
        *) printf '%s %s %s\n' "$id" "${usage:-0}" "$cg_tag" ;;
        esac
    done
    IFS=$cg_ifs
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
# Sets ss_mode: ss_h, or ss_plain (with a header line, which the reader skips).
learn_ss_mode() {
    # shellcheck disable=SC2034 # captured only to be thrown away (see above)
    if ss_version=$(ss -HV 2>&1); then
        ss_mode=ss_h
    else
        ss_mode=ss_plain
    fi
}
has_ss=0
case $(command -v ss) in /*) has_ss=1 ;; esac
# POSIX awk is on every system the probe knows; without it, the plain file.
has_awk=0
case $(command -v awk) in ?*) has_awk=1 ;; esac
table_mode=proc
auto_fold=0
case $table_source in
proc) ;;
fold) [ "$has_awk" = 0 ] || table_mode='fold' ;;
*)
    if [ "$has_ss" = 1 ] || [ "$table_source" = ss ]; then
        learn_ss_mode
        table_mode=$ss_mode
    fi
    # Any other word is auto: big tables folded (emit_table).
    [ "$table_source" = ss ] || [ "$has_awk" = 0 ] || auto_fold=1
    ;;
esac
uses_ss=0
case $table_mode in ss_h | ss_plain) uses_ss=1 ;; esac

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
# Where the fold may be used (fold, or auto with awk) and -p would have named processes: ss of
# the listeners (emit_listeners), with -H where this ss knows it. No ss: nothing is said.
listeners_mode=
if [ -n "$ss_processes" ] && [ "$has_ss" = 1 ] &&
    { [ "$table_mode" = fold ] || [ "$auto_fold" = 1 ]; }; then
    case $table_mode in
    ss_h | ss_plain) listeners_mode=$table_mode ;;
    *)
        learn_ss_mode
        listeners_mode=$ss_mode
        ;;
    esac
fi

table_mode_name=proc
case $table_mode in
fold) table_mode_name='fold' ;;
ss_h) table_mode_name=ss-H ;;
ss_plain) table_mode_name=ss ;;
esac

# Online CPUs, as /proc/stat lists them ("cpu0" … after the aggregate "cpu" line): 100 % of a
# container's CPU is one of them.
cpus=0
if [ -r /proc/stat ]; then
    while IFS= read -r line; do
        case $line in
        cpu[0-9]*) cpus=$((cpus + 1)) ;;
        cpu*) ;;
        *) break ;;
        esac
    done </proc/stat
fi

# Where containers' CPU counters live: v1's cpuacct hierarchy (alone, or co-mounted with cpu),
# v2's unified one (at the root, or at unified/ beside v1's on a hybrid host).
cg_v1=
for dir in "$cgroup_root/cpuacct" "$cgroup_root/cpu,cpuacct" "$cgroup_root/cpuacct,cpu"; do
    if [ -r "$dir/cpuacct.usage" ]; then
        cg_v1=$dir
        break
    fi
done
cg_v2=
if [ -e "$cgroup_root/cgroup.controllers" ]; then
    cg_v2=$cgroup_root
elif [ -e "$cgroup_root/unified/cgroup.controllers" ]; then
    cg_v2=$cgroup_root/unified
fi
cgroup_layout=none
if [ -n "$cg_v1" ] && [ -n "$cg_v2" ]; then
    cgroup_layout=hybrid
elif [ -n "$cg_v1" ]; then
    cgroup_layout=v1
elif [ -n "$cg_v2" ]; then
    cgroup_layout=v2
fi

# The limits TIME_WAIT runs into: the ephemeral ports one destination can take, the most
# TIME_WAIT sockets the kernel keeps, and whether connect() may reuse one. Read by cat, once:
# an integer sysctl answers only a read at offset 0, so dash's and busybox's byte-by-byte
# `read` would get its first digit and nothing more. Decimals only, else "unknown".
sysctl_dir=/proc/sys/net/ipv4
portrange=unknown
# "32768<TAB>60999", split into the function's arguments (set -f: no globbing).
set_port_range() {
    [ $# -eq 2 ] || return 0
    case $1 in '' | *[!0-9]* | ??????*) return 0 ;; esac
    case $2 in '' | *[!0-9]* | ??????*) return 0 ;; esac
    portrange=$1-$2
}
if [ -r "$sysctl_dir/ip_local_port_range" ]; then
    # shellcheck disable=SC2046 # split on purpose
    set_port_range $(cat "$sysctl_dir/ip_local_port_range" 2>&1)
fi
twbuckets=unknown
if [ -r "$sysctl_dir/tcp_max_tw_buckets" ]; then
    twbuckets=$(cat "$sysctl_dir/tcp_max_tw_buckets" 2>&1)
    case $twbuckets in '' | *[!0-9]* | ???????????*) twbuckets=unknown ;; esac
fi
twreuse=unknown
if [ -r "$sysctl_dir/tcp_tw_reuse" ]; then
    twreuse=$(cat "$sysctl_dir/tcp_tw_reuse" 2>&1)
    case $twreuse in '' | *[!0-9]* | ???*) twreuse=unknown ;; esac
fi

# How samples are paced: one long-lived vmstat's lines where there is vmstat (a tick costs it
# 0.3 ms), else a sleep process per sample (0.9 ms, as much as reading the counters).
pacing=sleep
case $(command -v vmstat) in /*) pacing=vmstat ;; esac
[ "${TWBENCH_PACING:-}" != sleep ] || pacing=sleep

# Each run numbers its samples from 1: the run id (this shell's pid and start time) tells a
# restarted probe's samples from the last run's.
started=$(date +%s)
case $started in '' | *[!0-9]*) started=0 ;; esac

printf '@@twbench hello %s endian=%s netns=%s ss=%s hostname=%s kernel=%s interval=%s table=%s tablemax=%s tablesource=%s docker=%s uid=%s user=%s privilege=%s cpus=%s cgroup=%s portrange=%s twbuckets=%s twreuse=%s pacing=%s run=%s-%s\n' \
    "$protocol" "$endian" "$netns" "$uses_ss" "$hostname" "$kernel" "$counter_s" "$table_s" \
    "$table_max_s" "$table_mode_name" "$docker_s" "$uid" "$user" "$privilege" "$cpus" \
    "$cgroup_layout" "$portrange" "$twbuckets" "$twreuse" "$pacing" "$$" "$started"

# --- the loop -------------------------------------------------------------------------------

# A sample's time: date's epoch, taken at most once a minute, plus the boot clock that
# /proc/uptime gives since then. date is a process (0.9 ms, as much as a cat of sockstat) where
# /proc/uptime is a 20-byte read; its centiseconds time a 1 s sample to 1 %, and a step of the
# wall clock (NTP) is caught within the minute. busybox's date has no %N: whole seconds, each
# sample, as before.
clock_base_ms=
clock_base_cs=
uptime_cs=
# Sets uptime_cs from "3605.27 7000.10", or to '' when /proc/uptime says something else.
read_uptime() {
    uptime_cs=
    [ -r /proc/uptime ] || return 0
    read -r up_s up_rest </proc/uptime || return 0
    case $up_s in
    *[!0-9.]* | *.*.* | ?????????????*) return 0 ;;
    [0-9]*.[0-9][0-9]) ;;
    *) return 0 ;;
    esac
    up_cs=${up_s%.*}${up_s#*.}
    # A leading zero would read as octal.
    while :; do
        case $up_cs in
        0?*) up_cs=${up_cs#0} ;;
        *) break ;;
        esac
    done
    uptime_cs=$up_cs
}

# Sets now_ms.
read_clock() {
    read_uptime
    if [ -n "$uptime_cs" ] && [ -n "$clock_base_cs" ] && [ "$uptime_cs" -ge "$clock_base_cs" ] &&
        [ $((uptime_cs - clock_base_cs)) -lt 6000 ]; then
        now_ms=$((clock_base_ms + (uptime_cs - clock_base_cs) * 10))
        return
    fi
    # GNU date gives nanoseconds; busybox prints "%N" literally: fall back to whole seconds.
    now=$(date +%s%N)
    case $now in
    *[!0-9]*) now=${now%%[!0-9]*} ;;
    esac
    clock_base_cs=
    if [ "${#now}" -ge 16 ]; then
        now_ms=${now%??????}
        [ -z "$uptime_cs" ] || {
            clock_base_ms=$now_ms
            clock_base_cs=$uptime_cs
        }
    elif [ -n "$now" ]; then
        now_ms=${now}000
    else
        now_ms=0
    fi
}

seq=0
last_table_ms=
last_listeners_ms=
last_docker_ms=
table_due_s=$table_s
# Half a counter interval of slack, so a 2 s table interval with 1 s counters takes every
# second sample even though each sample takes a few ms.
slack_ms=$((counter_s * 500))

take_sample() {
    seq=$((seq + 1))
    read_clock

    printf '@@twbench sample %s %s\n' "$seq" "$now_ms"
    emit_sockstat
    table_now=0
    if [ -z "$last_table_ms" ] || [ $((now_ms - last_table_ms)) -ge $((table_due_s * 1000 - slack_ms)) ] || [ $((now_ms - last_table_ms)) -lt 0 ]; then
        table_now=1
        choose_table_mode
    fi
    # A folded table's awk copies the counter files too (emit_folded_tables).
    counter_args=
    if [ "$table_now" = 1 ] && [ "$mode" = fold ] && [ -r /proc/net/tcp ]; then
        counter_operands
    else
        emit_counter_files
    fi

    # Before the table, so the table of the same sample reads the namespaces just resolved.
    if [ "$docker_s" -gt 0 ]; then
        if [ -z "$last_docker_ms" ] || [ $((now_ms - last_docker_ms)) -ge $((docker_s * 1000 - slack_ms)) ] || [ $((now_ms - last_docker_ms)) -lt 0 ]; then
            emit_docker
            last_docker_ms=$now_ms
        fi
    fi
    [ "$docker_answered" = 0 ] || emit_cgroup_cpu

    if [ "$table_now" = 1 ]; then
        emit_table
        [ "$docker_answered" = 0 ] || emit_namespaces
        last_table_ms=$now_ms
        # Bigger tables cost more to walk: read them less often.
        table_due_s=$((table_s + tcp_load / 10000))
        [ "$table_due_s" -le "$table_max_s" ] || table_due_s=$table_max_s
    fi

    printf '@@end %s\n' "$seq"
    sample_cs=$uptime_cs
    if [ "$max_samples" -gt 0 ] && [ "$seq" -ge "$max_samples" ]; then
        exit 0
    fi
}

paced_by_sleep() {
    while :; do
        take_sample
        # A failing sleep would turn this loop into a busy spin: stop instead.
        sleep "$counter_s" || exit 70
    done
}

# vmstat's lines as the metronome: its two header lines and a first line come at once (sample 1
# waits for them), then a line each interval, from the one process. A tick that comes less than
# half an interval after the last sample began (lines queued while a long table was read) is
# skipped: samples are not taken back to back to catch up. When vmstat ends (it should not, or
# after MAX_SAMPLES lines), sleep takes over.
paced_by_ticks() {
    sample_cs=
    while IFS= read -r tick; do
        case $tick in
        *[!0-9\ ]* | '') continue ;; # a header, or vmstat's complaint
        esac
        if [ -n "$sample_cs" ]; then
            read_uptime
            if [ -n "$uptime_cs" ] && [ "$uptime_cs" -ge "$sample_cs" ] &&
                [ $((uptime_cs - sample_cs)) -lt $((counter_s * 50)) ]; then
                continue
            fi
        fi
        take_sample
    done
    [ "$seq" = 0 ] || sleep "$counter_s" || exit 70
    paced_by_sleep
}

if [ "$pacing" = vmstat ]; then
    # Told how many lines to print when the run is bounded, vmstat ends with the last sample.
    if [ "$max_samples" -gt 0 ]; then
        vmstat -n "$counter_s" "$max_samples" 2>&1 | paced_by_ticks
    else
        vmstat -n "$counter_s" 2>&1 | paced_by_ticks
    fi
    exit
fi
paced_by_sleep
