#!/usr/bin/env bash
# What parameter averaging costs in ELBO: test -ELBO after the same number of epochs for
#   the single JVM (batch 128), two workers on local[2] averaging every 50 minibatches (batch 128
#   each), and the synchronous ideal of two workers (one JVM, batch 256 = two averaged every step),
# all M=10 on real MNIST, one seed, in the same run. About 7 minutes for 10 epochs on 2 cores.
# Usage: bench/averaging-elbo.sh [epochs=10] [seed=0]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-10}"
seed="${2:-0}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
echo "machine: $(nproc) cores; $epochs epochs, seed $seed"
run() {
  local name="$1"; shift
  local last
  last="$("$here/submit/spark-vae" train --data "$here/data/mnist" --epochs "$epochs" --seed "$seed" \
      --model "$out/$name.zip" --no-progress "$@" 2>&1 | grep "^epoch $epochs/$epochs:")"
  printf '%-44s %s\n' "$name" "${last#*: }"
}
run "single JVM, batch 128" --single-jvm
run "local[2], 2 workers, averaging every 50" --master 'local[2]' --workers 2 --averaging-frequency 50
run "single JVM, batch 256 (synchronous ideal)" --single-jvm --batch-size 256
