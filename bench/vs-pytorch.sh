#!/usr/bin/env bash
# spark-vae's single JVM against the same model in PyTorch, on the same machine, data and core, one thread each
# (the speed issue's yardstick). MLP on all 60,000 images; CNN on the first 6,400 (50 steps of 128). The two
# implementations alternate REPS times; per run, a steady epoch is the median of epochs 2 and later; the ratio
# printed is the median over the REPS alternations. Also the test -ELBO (10,000 images, one z each) and IWAE
# (K=100 on 2,000 images for the MLP, 200 for the CNN) evaluation times. PyTorch runs at its best,
# torch.set_flush_denormal(True) (spark-vae flushes subnormals too, backend.Denormals); a "PyTorch plain" row
# (IEEE gradual underflow, PyTorch's default) is kept for reference, run in the same alternation.
# Needs: apt-get install python3-torch libopenblas0-pthread (without the latter Debian's torch uses the reference
# BLAS and looks 20x slower), run with /usr/bin/python3.
# Each side gets its own best BLAS kernels: the JVM the launcher's rule (submit/env.sh: SkylakeX on AVX-512
# CPUs, its JVM flags), PyTorch its OpenBLAS's own CPU detection (OPENBLAS_CORETYPE unset; a machine-wide
# OPENBLAS_CORETYPE=Haswell makes it 1.4x slower on AVX-512 hosts). For the MLP a third row, "dl4j-stock", times a
# network of stock DL4J layers with the same shape and FLOPs (StockNetworkBenchmark): DL4J's own floor.
# The JVM loads the ND4J build the CLI would (backend.NativeBuild: oneDNN where the CPU runs it); with
# SPARK_VAE_BENCH_PLAIN=1 every spark-vae run is repeated on the plain build, alternating, for a fourth row.
# Usage: bench/vs-pytorch.sh [epochs=3] [reps=3] [archs="mlp cnn"] [train images for the MLP=0 (all)]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
epochs="${1:-3}"; reps="${2:-3}"; archs="${3:-mlp cnn}"; mlp_images="${4:-0}"
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
# shellcheck source=../submit/env.sh
SPARK_VAE_NO_BUILD=1 source "$here/submit/env.sh"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
jvm_kernels="${OPENBLAS_CORETYPE:-}"
/usr/bin/python3 -c 'import torch' 2>/dev/null || { echo "vs-pytorch.sh: error: /usr/bin/python3 has no torch (apt-get install python3-torch libopenblas0-pthread)" >&2; exit 1; }
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs); $(/usr/bin/python3 -c 'import torch; print("torch", torch.__version__)'); JVM OpenBLAS kernels: ${jvm_kernels:-auto}"
for arch in $archs; do
  images="$mlp_images"; iwae_images=2000
  [ "$arch" = cnn ] && images=6400 && iwae_images=200
  for rep in $(seq 1 "$reps"); do
    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/bench/reference/vae_reference.py" --data "$here/data/mnist" \
      --arch "$arch" --epochs "$epochs" --threads 1 --train-images "$images" --iwae-images "$iwae_images" --seed "$rep" 2>/dev/null | tail -1 > "$out/torch-$arch-$rep.json"
    env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/bench/reference/vae_reference.py" --data "$here/data/mnist" \
      --arch "$arch" --epochs "$epochs" --threads 1 --train-images "$images" --iwae-images "$iwae_images" --seed "$rep" --keep-denormals 2>/dev/null | tail -1 > "$out/torchplain-$arch-$rep.json"
    # shellcheck disable=SC2086
    OMP_NUM_THREADS=1 OPENBLAS_CORETYPE="$jvm_kernels" java -Xmx3g $module_flags -cp "$cp" org.sparkvae.bench.TrainingBenchmark \
      "$here/data/mnist" "$epochs" 10 128 "$arch" "$images" 100 "$iwae_images" 2>/dev/null | tail -1 > "$out/jvm-$arch-$rep.json"
    if [ -n "${SPARK_VAE_BENCH_PLAIN:-}" ]; then
      # shellcheck disable=SC2086
      SPARK_VAE_ND4J_BUILD=plain OMP_NUM_THREADS=1 OPENBLAS_CORETYPE="$jvm_kernels" java -Xmx3g $module_flags -cp "$cp" org.sparkvae.bench.TrainingBenchmark \
        "$here/data/mnist" "$epochs" 10 128 "$arch" "$images" 100 "$iwae_images" 2>/dev/null | tail -1 > "$out/plain-$arch-$rep.json"
    fi
    if [ "$arch" = mlp ]; then
      # shellcheck disable=SC2086
      OMP_NUM_THREADS=1 OPENBLAS_CORETYPE="$jvm_kernels" java -Xmx3g $module_flags -cp "$cp" org.sparkvae.bench.StockNetworkBenchmark \
        "$here/data/mnist" "$epochs" 10 128 "$images" 2>/dev/null | tail -1 > "$out/stock-$arch-$rep.json"
    fi
    echo "  $arch run $rep done" >&2
  done
done
/usr/bin/python3 - "$out" $archs <<'PY'
import json, statistics, sys, glob
out, archs = sys.argv[1], sys.argv[2:]
def load(kind, arch):
    return [json.load(open(f)) for f in sorted(glob.glob(f"{out}/{kind}-{arch}-*.json"))]
def steady(r):
    s = r["seconds_per_epoch"]
    return statistics.median(s[1:] if len(s) > 1 else s)
print(f"{'model':5} {'PyTorch s/epoch':>16} {'ms/step':>8} {'spark-vae s/epoch':>18} {'ms/step':>8} {'ratio':>6}   eval (torch / jvm)   IWAE-100 (torch / jvm)   test -ELBO (torch / jvm)")
for arch in archs:
    t, j = load("torch", arch), load("jvm", arch)
    ratios = [steady(b) / steady(a) for a, b in zip(t, j)]
    st, sj = statistics.median(map(steady, t)), statistics.median(map(steady, j))
    steps = j[0]["steps_per_epoch"]
    print(f"{arch:5} {st:16.2f} {1000*st/steps:8.1f} {sj:18.2f} {1000*sj/steps:8.1f} {statistics.median(ratios):5.2f}x"
          f"   {statistics.median(r['eval_seconds'] for r in t):5.2f} / {statistics.median(r['eval_seconds'] for r in j):5.2f} s"
          f"   {statistics.median(r['iwae_seconds'] for r in t):6.2f} / {statistics.median(r['iwae_seconds'] for r in j):6.2f} s"
          f"      {statistics.median(r['test_neg_elbo'] for r in t):7.2f} / {statistics.median(r['test_neg_elbo'] for r in j):7.2f}"
          f"   (ratios per run: {', '.join(f'{x:.2f}' for x in ratios)})")
    print(f"{'  spark-vae ND4J build':41} {j[0].get('nd4j_build', '?')}")
    tp = load("torchplain", arch)
    if tp:
        stp = statistics.median(map(steady, tp))
        tpr = [steady(b) / steady(a) for a, b in zip(tp, j)]
        print(f"{'  PyTorch plain (no flush-denormal)':41} {stp:9.2f} {1000*stp/steps:8.1f}   spark-vae / plain {statistics.median(tpr):5.2f}x"
              f"   eval {statistics.median(r['eval_seconds'] for r in tp):5.2f} s   IWAE {statistics.median(r['iwae_seconds'] for r in tp):6.2f} s"
              f"   (plain / flushed PyTorch: {stp / st:.2f})")
    p = load("plain", arch)
    if p:
        sp = statistics.median(map(steady, p))
        pr = [steady(b) / steady(a) for a, b in zip(t, p)]
        print(f"{'  spark-vae on the plain ND4J build':41} {sp:9.2f} {1000*sp/steps:8.1f} {statistics.median(pr):5.2f}x"
              f"   eval {statistics.median(r['eval_seconds'] for r in p):5.2f} s   IWAE {statistics.median(r['iwae_seconds'] for r in p):6.2f} s"
              f"   (plain / {j[0].get('nd4j_build', '?')}: {sp / sj:.2f})")
    k = load("stock", arch)
    if k:
        sk = statistics.median(map(steady, k))
        kr = [steady(b) / steady(a) for a, b in zip(t, k)]
        print(f"{'  dl4j-stock (same shape, stock layers)':41} {sk:9.2f} {1000*sk/steps:8.1f} {statistics.median(kr):5.2f}x"
              f"   (spark-vae / stock: {sj / sk:.2f})")
PY
