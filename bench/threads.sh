#!/usr/bin/env bash
# One OpenMP thread against N in one JVM (the MLP, M=10, batch 128, real MNIST, single JVM, the build the CLI
# picks), alternating REPS times in the same run: the measurement behind the launcher's default of one thread per
# process and the rule for --threads-per-task (README, "Threads"). Prints steady s/epoch per thread count and the
# speed-up of N threads over one; use N threads per task only where it is clearly above 1.
# Usage: bench/threads.sh [threads=$(nproc)] [epochs=2] [reps=2] [train images=20000]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
n="${1:-$(nproc)}"; epochs="${2:-2}"; reps="${3:-2}"; images="${4:-20000}"
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
# shellcheck source=../submit/env.sh
SPARK_VAE_NO_BUILD=1 source "$here/submit/env.sh"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
for rep in $(seq 1 "$reps"); do
  for t in 1 "$n"; do
    # shellcheck disable=SC2086
    OMP_NUM_THREADS="$t" OPENBLAS_NUM_THREADS="$t" java -Xmx3g $module_flags -cp "$cp" org.sparkvae.bench.TrainingBenchmark \
      "$here/data/mnist" "$epochs" 10 128 mlp "$images" 10 10 2>/dev/null | tail -1 > "$out/t$t-$rep.json"
    echo "  $t thread(s), run $rep done" >&2
  done
done
/usr/bin/env python3 - "$out" "$n" <<'PY'
import glob, json, statistics, sys
out, n = sys.argv[1], sys.argv[2]
def steady(f):
    s = json.load(open(f))["seconds_per_epoch"]
    return statistics.median(s[1:] if len(s) > 1 else s)
one = statistics.median(steady(f) for f in glob.glob(f"{out}/t1-*.json"))
many = statistics.median(steady(f) for f in glob.glob(f"{out}/t{n}-*.json"))
print(f"1 thread: {one:.2f} s/epoch; {n} threads: {many:.2f} s/epoch; speed-up {one / many:.2f}x "
      f"({'threads scale: --threads-per-task ' + n + ' pays' if one / many > 1.2 else 'keep one thread per task'})")
PY
