#!/usr/bin/env bash
# Start-up cost of a command, with and without the launcher's class-data archive (target/spark-vae.jsa, made at
# mvn package by submit/class-archive.sh), alternated RUNS times each: wall seconds, CPU seconds (user + system,
# from /proc through GNU time) and peak resident memory. The default command is a small real job: one epoch on the
# 2,000-image slice of MNIST in src/test/resources, so start-up is most of it.
#   bench/startup.sh [RUNS] [SUBCOMMAND options...]      e.g. bench/startup.sh 3 --version
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
runs="${1:-3}"
shift || true
[ -f "$here/target/spark-vae.jsa" ] || { echo "startup.sh: error: no target/spark-vae.jsa (run mvn package)" >&2; exit 1; }
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
export SPARK_VAE_NO_BUILD=1
echo "startup.sh: $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), $(nproc) cores, OMP_NUM_THREADS=${OMP_NUM_THREADS:-1}"
for i in $(seq 1 "$runs"); do
  for mode in archive jars; do
    rm -rf "$work/m"*
    if [ $# -gt 0 ]; then cmd=("$@"); else
      cmd=(train --data "$here/src/test/resources/mnist-slice" --epochs 1 --model "$work/m.zip" --no-progress)
    fi
    no=""; [ "$mode" = jars ] && no=1
    SPARK_VAE_NO_CLASS_ARCHIVE="$no" /usr/bin/time -o "$work/time" -f "%e %U %S %M" "$here/submit/spark-vae" "${cmd[@]}" > "$work/out" 2>&1 \
      || { cat "$work/out" >&2; exit 1; }
    read -r wall user sys kb < "$work/time"
    printf 'startup.sh: run %d %-7s wall %6.2f s  cpu %6.2f s  peak RSS %5d MB\n' "$i" "$mode" "$wall" "$(awk -v u="$user" -v s="$sys" 'BEGIN {print u + s}')" $((kb / 1024))
  done
done
