#!/bin/sh
# The scale figures of issue 10, on the release build: 50 SSH hosts at once, memory and disk
# over a compressed 24 h run, cold start. Prints each part's lines and, at the end, the rows of
# the README's table.
#   bench/scale/run.sh                       everything (about 10 minutes on 2 cores)
#   TWBENCH_SCALE_HOSTS=20 bench/scale/run.sh
#   TWBENCH_SCALE_PARTS="startup soak" bench/scale/run.sh
#   TWBENCH_BUILD_DIR=build/other bench/scale/run.sh   another build folder (release preset)
# The fleet part needs root (a throwaway sshd on 127.0.0.1, as the SSH tests use); start-up
# drops the page cache before its first run when it may.
set -eu
cd "$(dirname "$0")/../.."
build=${TWBENCH_BUILD_DIR:-build/release}
if [ "${TWBENCH_SCALE_NO_BUILD:-0}" != 1 ]; then
    cmake --preset release -B "$build" >/dev/null
    cmake --build "$build" --target twbench twbench_scale
fi
scale=$build/bench/scale/twbench_scale
rows=$(mktemp)
trap 'rm -f "$rows"' EXIT
for part in ${TWBENCH_SCALE_PARTS:-startup fleet soak}; do
    echo "== $part"
    case $part in
    startup) set -- startup --executable "$build/twbench" --runs "${TWBENCH_SCALE_RUNS:-7}" \
                 --platform "${TWBENCH_SCALE_PLATFORM:-xcb}" ;;
    # Every alias reports this machine's table; 2,000 real TIME_WAITs kept on loopback make it
    # the incident's kind of table rather than a quiet machine's hundred sockets.
    fleet) set -- fleet --hosts "${TWBENCH_SCALE_HOSTS:-50}" --seconds "${TWBENCH_SCALE_SECONDS:-60}" \
               --time-waits "${TWBENCH_SCALE_TIME_WAITS:-2000}" ;;
    soak) set -- soak --hosts "${TWBENCH_SCALE_SOAK_HOSTS:-2}" --hours "${TWBENCH_SCALE_HOURS:-30}" ;;
    *) echo "unknown part $part" >&2; exit 2 ;;
    esac
    "$scale" "$@" | tee -a "$rows"
done
echo
echo "| what | measured | goal |"
echo "| --- | --- | --- |"
grep '^| ' "$rows"
