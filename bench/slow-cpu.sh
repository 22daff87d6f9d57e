#!/usr/bin/env bash
# Runs a command on a machine made slower: K busy-looping processes pinned to each core (taskset) take their share
# of every core while it runs, so timeouts and time budgets can be checked on a CPU slower than this one. Each
# thread of the command gets about 1/(K+1) of a core when the loops run beside it; the slow-down a whole command
# sees is less (idle moments, I/O) and is best read off the command itself, against a run without the loops.
#   bench/slow-cpu.sh [K=1] COMMAND [ARGS...]       e.g. bench/slow-cpu.sh 1 .ci/run
# The loops are stopped by PID when the command ends, however it ends.
set -uo pipefail
k=1
if [[ "${1:-}" =~ ^[0-9]+$ ]]; then k="$1"; shift; fi
[ $# -gt 0 ] || { echo "usage: $0 [K] COMMAND [ARGS...]" >&2; exit 2; }
command -v taskset >/dev/null || { echo "slow-cpu.sh: error: taskset (util-linux) not found" >&2; exit 1; }
pids=()
trap 'kill "${pids[@]}" 2>/dev/null' EXIT
for c in $(seq 0 $(( $(nproc) - 1 ))); do
  for _ in $(seq 1 "$k"); do
    taskset -c "$c" bash -c 'while :; do :; done' &
    pids+=($!)
  done
done
echo "slow-cpu.sh: $k busy loop(s) on each of $(nproc) cores (PIDs ${pids[*]})" >&2
start=$(date +%s)
"$@"
rc=$?
echo "slow-cpu.sh: '$*' ended with status $rc after $(( $(date +%s) - start )) s" >&2
exit $rc
