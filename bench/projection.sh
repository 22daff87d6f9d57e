#!/usr/bin/env bash
# The project job (encode the 10k test images, MLlib PCA k=2, Parquet, scatter PNG) timed after Spark
# is up, on local[2]; the bar is <= 10 s. Trains a 1-epoch M=10 model first when none is given.
# Usage: bench/projection.sh [MODEL.zip] [master=local[2]] [runs=3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
model="${1:-}"
if [ -z "$model" ]; then
  work="$(mktemp -d)"; trap 'rm -rf "$work"' EXIT
  model="$work/bench.zip"
  "$here/submit/spark-vae" train --data "$here/data/mnist" --epochs 1 --no-test-eval --model "$model" --no-progress >/dev/null 2>&1
fi
source "$here/submit/env.sh"
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
# shellcheck disable=SC2086
java -Xmx3g $module_flags -cp "$build_dir/classes:$(cat "$build_dir/classpath.txt")" org.sparkvae.bench.ProjectionBenchmark \
  "$model" "$here/data/mnist" "${2:-local[2]}" "${3:-3}" 2>&1 | grep -E '^(cores|Spark start|run [0-9])'
