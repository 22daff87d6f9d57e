#!/usr/bin/env bash
# Runs a spark-vae command and reports its JVM's peak resident memory (VmHWM, read by the JVM as it exits through
# SPARK_VAE_PEAK_RSS) and, every 5 s, its resident memory now (VmRSS), so a run that grows shows it while it runs.
#   bench/peak-rss.sh [--limit-mb N] SUBCOMMAND [options]   e.g. bench/peak-rss.sh evaluate --model runs/m10.zip --iwae 100
# --limit-mb N: stop the run (SIGTERM) if its resident memory passes N MB, before the machine's OOM killer does.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
limit=0
if [ "${1:-}" = "--limit-mb" ]; then limit="$2"; shift 2; fi
export SPARK_VAE_PEAK_RSS=1
"$here/submit/spark-vae" "$@" &
pid=$!
start=$(date +%s)
while kill -0 "$pid" 2>/dev/null; do
  sleep 5
  rss=$(awk '/^VmRSS/ {print int($2/1024)}' "/proc/$pid/status" 2>/dev/null || echo 0)
  echo "peak-rss.sh: $(( $(date +%s) - start )) s: VmRSS ${rss} MB" >&2
  if [ "$limit" -gt 0 ] && [ "${rss:-0}" -gt "$limit" ]; then
    echo "peak-rss.sh: over ${limit} MB: stopping pid $pid" >&2
    kill "$pid"
  fi
done
wait "$pid"
