#!/usr/bin/env bash
# Time to quality, not samples/s (the speed issue's item 6): wall time of training (the epochs' own seconds, without
# the per-epoch test evaluation) until the test -ELBO first reaches TARGET, for one worker (embedded Spark, the
# default) and for two workers averaging on local[2], on real MNIST, M=10, the same seeds, in one run. A run that
# does not reach the target within MAX epochs says so.
# Usage: bench/time-to-quality.sh [target=88.75] [max epochs=20] [seeds="0"] [averaging frequency=50]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
target="${1:-88.75}"; max="${2:-20}"; seeds="${3:-0}"; freq="${4:-50}"
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
echo "machine: $(nproc --all) cores; target test -ELBO <= $target within $max epochs; seeds $seeds"
# First epoch whose test -ELBO <= target, and the training seconds summed up to it, from the run's metrics CSV.
reached() {
  awk -F, -v t="$1" 'NR > 1 { s += $6; if ($3 <= t) { printf "epoch %d, %.1f s of training (test -ELBO %.2f)\n", $1, s, $3; found = 1; exit } }
       END { if (!found) printf "not reached in %d epochs (%.1f s; last test -ELBO %.2f)\n", NR - 1, s, $3 }' "$2"
}
for seed in $seeds; do
  for setup in "1 worker (embedded, default)|" "2 workers, local[2], averaging every $freq|--master local[2] --workers 2 --averaging-frequency $freq"; do
    name="${setup%%|*}"; flags="${setup#*|}"
    model="$out/s$seed-$(echo "$name" | tr -c 'a-z0-9' '_').zip"
    # shellcheck disable=SC2086
    "$here/submit/spark-vae" train --data "$here/data/mnist" --epochs "$max" --seed "$seed" --model "$model" \
      --no-progress $flags >/dev/null 2>&1 || { echo "seed $seed, $name: train failed" >&2; exit 1; }
    printf 'seed %s  %-40s %s\n' "$seed" "$name" "$(reached "$target" "${model%.zip}.metrics.csv")"
  done
done
