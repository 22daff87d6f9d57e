#!/usr/bin/env bash
# Load time of a training split, the old path (driver reads, tasks carry the bytes) against the new (executors read
# through the idx data source), in one run, for the 60,000 MNIST training images and for a million images (the test
# set tiled 100 times, written to a temporary directory and deleted afterwards). Each timing = read + convert + one
# pass summing every pixel.
# Usage: bench/load-time.sh [master=local[2]] [runs=3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
source "$here/submit/env.sh"
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for copies in 0 100; do
  [ "$copies" = 0 ] && echo "== MNIST training set (60,000 images)" || echo "== $copies x the test set (1,000,000 images)"
  # shellcheck disable=SC2086
  java -Xmx8g $module_flags -cp "$build_dir/classes:$(cat "$build_dir/classpath.txt")" org.sparkvae.bench.LoadBenchmark \
    "$here/data/mnist" "${1:-local[2]}" "${2:-3}" "$copies" 2>&1 | grep -E '^(Spark start|run [0-9])|very large size|Exception'
done
