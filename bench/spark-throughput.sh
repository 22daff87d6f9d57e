#!/usr/bin/env bash
# Spark parameter-averaging training vs the single-JVM trainer, measured in the same run:
# two epochs of the exercise's model (M=10, batch 128 per worker) on real MNIST for each setting;
# prints the second (warm) epoch's seconds, samples/s and the ratio to the single JVM.
# Also runs the embedded default (one worker through Spark, no averaging) for its overhead.
# Usage: bench/spark-throughput.sh [workers=2] [averaging frequencies="10 50"]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
workers="${1:-2}"
freqs="${2:-10 50}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
echo "machine: $(nproc) cores"
epoch_line() { grep -o 'epoch 2/2: .*' | head -1; }
sps() { sed -n 's/.*(\([0-9]*\) samples\/s).*/\1/p'; }
single="$("$here/submit/spark-vae" train --data "$here/data/mnist" --epochs 2 --model "$out/single.zip" --no-progress --single-jvm 2>&1 | epoch_line)"
echo "single JVM (OMP_NUM_THREADS=1):          $single"
base="$(echo "$single" | sps)"
for k in $freqs; do
  line="$("$here/submit/spark-vae" train --data "$here/data/mnist" --epochs 2 --master "local[$workers]" \
      --workers "$workers" --averaging-frequency "$k" --model "$out/spark-$k.zip" --no-progress 2>&1 | epoch_line)"
  s="$(echo "$line" | sps)"
  printf 'local[%s], averaging every %-3s batches: %s  -> %.2fx single JVM\n' "$workers" "$k" "$line" "$(awk -v a="$s" -v b="$base" 'BEGIN{print a/b}')"
done
line="$("$here/submit/spark-vae" train --data "$here/data/mnist" --epochs 2 --model "$out/one.zip" --no-progress 2>&1 | epoch_line)"
s="$(echo "$line" | sps)"
printf 'embedded local[*], 1 worker (default):   %s  -> %.2fx single JVM\n' "$line" "$(awk -v a="$s" -v b="$base" 'BEGIN{print a/b}')"
