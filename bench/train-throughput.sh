#!/usr/bin/env bash
# Single-JVM training throughput of the exercise's model (M=10, batch 128) on real MNIST:
# prints the machine's cores, then seconds/epoch and samples/s per epoch, once with OpenBLAS's
# AVX2 (Haswell) kernels and once with the kernels submit/spark-vae picks, in the same run.
# Usage: bench/train-throughput.sh [epochs=3]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-3}"
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
run() {
  echo "== OPENBLAS_CORETYPE=${1:-auto}"
  OMP_NUM_THREADS=1 OPENBLAS_CORETYPE="$1" java -Xmx3g -cp "$cp" org.sparkvae.bench.TrainingBenchmark \
    "$here/data/mnist" "$epochs" 10 128 | grep -v '^Added differentiated op'
}
run Haswell
if grep -q -w avx512f /proc/cpuinfo; then run SkylakeX; fi
