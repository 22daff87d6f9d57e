#!/usr/bin/env bash
# Runs a sweep for a scheduler (cron, Airflow's BashOperator, systemd timers): one run at a time per
# sweep directory (a second start while one runs exits 0 at once), output appended to DIR.log, and
# the sweep's own exit status (1 when any configuration failed) passed on.
#   submit/sweep.sh GRID.yaml DIR [sweep options...]
# With SPARK_MASTER set (e.g. spark://127.0.0.1:7077) it goes through spark-submit with the shaded
# jar; otherwise it runs on the embedded local[*] master.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[ $# -ge 2 ] || { echo "usage: $0 GRID.yaml DIR [sweep options...]" >&2; exit 2; }
grid="$1"; out="$(realpath -m -- "$2")"; shift 2  # DIR, DIR/ and ./DIR take the same lock
mkdir -p "$(dirname "$out")"
exec 9>"$out.lock"
if ! flock -n 9; then
  echo "$(date -Is) sweep.sh: a sweep into $out is still running; not starting another" >>"$out.log"
  exit 0
fi
echo "$(date -Is) sweep.sh: starting $grid -> $out" >>"$out.log"
status=0
if [ -n "${SPARK_MASTER:-}" ]; then
  "$here/submit/spark-submit.sh" --master "$SPARK_MASTER" sweep --grid "$grid" --out "$out" "$@" >>"$out.log" 2>&1 || status=$?
else
  "$here/submit/spark-vae" sweep --grid "$grid" --out "$out" "$@" >>"$out.log" 2>&1 || status=$?
fi
echo "$(date -Is) sweep.sh: finished with exit status $status" >>"$out.log"
exit "$status"
