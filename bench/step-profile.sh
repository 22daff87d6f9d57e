#!/usr/bin/env bash
# What one training step runs, spark-vae beside PyTorch (the speed issue's step table), one thread each, batch 128,
# real MNIST, after a warm-up of 150 steps:
#  1. spark-vae's step by phase (DL4J's listener calls: forward / backward / updater), unprofiled, its Java heap
#     bytes per step, then every libnd4j op and BLAS call of STEPS steps counted and timed by ND4J's OpProfiler
#     (org.sparkvae.bench.StepProfile);
#  2. the same unprofiled step under JFR (execution and native-method samples of the training thread), each sample
#     put to the layer and direction on its stack: the step split by layer;
#  3. PyTorch's step by phase and torch.profiler's op list (bench/reference/vae_reference.py --profile-steps).
# Needs /usr/bin/python3 with torch (apt-get install python3-torch libopenblas0-pthread).
# Usage: bench/step-profile.sh [arch=mlp|cnn] [steps=100]
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
arch="${1:-mlp}"; steps="${2:-100}"
"$here/submit/spark-vae" fetch-data --dataset mnist --dir "$here/data/mnist" >/dev/null
# shellcheck source=../submit/env.sh
SPARK_VAE_NO_BUILD=1 source "$here/submit/env.sh"
cp="$here/target/classes:$(cat "$here/target/classpath.txt")"
out="$(mktemp -d)"; trap 'rm -rf "$out"' EXIT
echo "machine: $(nproc --all) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "== spark-vae: phases and ops ($arch, $steps steps) =="
# shellcheck disable=SC2086
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -Xmx3g $module_flags -cp "$cp" org.sparkvae.bench.StepProfile \
  "$here/data/mnist" "$arch" "$steps" 150 true 2>/dev/null
echo "== spark-vae: the unprofiled step by layer (JFR samples of the training thread, $((steps * 4)) steps) =="
# JFR's profile settings sample Java code every 10 ms and native code every 20 ms; the same 10 ms for both, so that
# each sample weighs the same whether the thread was in libnd4j or in Java.
jdk_home="$(dirname "$(dirname "$(readlink -f "$(command -v java)")")")"
sed '/jdk.NativeMethodSample/,/<\/event>/s/>20 ms</>10 ms</' "$jdk_home/lib/jfr/profile.jfc" > "$out/step.jfc"
grep -A3 'jdk.NativeMethodSample' "$out/step.jfc" | grep -q '>10 ms<' || { echo "step-profile.sh: error: could not set JFR's native sampling period" >&2; exit 1; }
# shellcheck disable=SC2086
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -Xmx3g $module_flags \
  -XX:StartFlightRecording=filename="$out/step.jfr",settings="$out/step.jfc" -cp "$cp" org.sparkvae.bench.StepProfile \
  "$here/data/mnist" "$arch" "$((steps * 4))" 150 false >/dev/null 2>&1
jfr print --json --events jdk.ExecutionSample,jdk.NativeMethodSample --stack-depth 200 "$out/step.jfr" > "$out/step.json"
/usr/bin/python3 - "$out/step.json" <<'PY'
import json, sys, collections
events = json.load(open(sys.argv[1]))["recording"]["events"]
LAYERS = [  # (frame class prefix, layer name), the first match from the leaf side names the layer
    ("org.sparkvae.model.layers.ElboOutputLayerRuntime", "ELBO output layer (SameDiff)"),
    ("org.deeplearning4j.nn.layers.samediff.SameDiffOutputLayer", "ELBO output layer (SameDiff)"),
    ("org.sparkvae.model.layers.PassThroughDenseRuntime", "decoder dense (hand-written)"),
    ("org.sparkvae.model.layers.PassThroughRuntime", "decoder (hand-written)"),
    ("org.sparkvae.model.layers.NoiseAppendingPreProcessor", "latent noise (preprocessor)"),
    ("org.sparkvae.model.workarounds.SurrogateBackpropSameDiffLayer", "latent layer (SameDiff)"),
    ("org.sparkvae.model.layers.PassThroughDeconvRuntime", "decoder deconv (hand-written)"),
    ("org.deeplearning4j.nn.layers.samediff.SameDiffLayer", "latent layer (SameDiff)"),
    ("org.sparkvae.model.layers.Conv2dRuntime", "encoder conv (libnd4j conv2d)"),
    ("org.sparkvae.model.layers.FusedDenseRuntime", "encoder dense (fused)"),
    ("org.deeplearning4j.nn.layers.convolution", "encoder conv (stock DL4J)"),
    ("org.deeplearning4j.nn.layers.BaseLayer", "encoder dense (stock DL4J)"),
    ("org.deeplearning4j.nn.layers.feedforward", "encoder dense (stock DL4J)"),
    ("org.deeplearning4j.nn.updater", "updater (Adam)"),
    ("org.deeplearning4j.optimize", "parameter step / solver"),
]
def direction_of(m):
    if "backprop" in m.lower() or "computeGradient" in m or "calcBackprop" in m:
        return "backward"
    if "activate" in m or "preOutput" in m or "feedForward" in m or "ffToLayer" in m or m == "output":
        return "forward"
    return None
def where(frames):
    """The layer: the first layer frame from the leaf; its direction: that frame's method, else the network's."""
    names = [(f["method"]["type"]["name"].replace("/", "."), f["method"]["name"]) for f in frames]
    def network_direction(start):
        for t, m in names[start:]:
            if t.startswith("org.deeplearning4j.nn.multilayer.MultiLayerNetwork") and direction_of(m):
                return direction_of(m)
        return "-"
    for i, (t, m) in enumerate(names):
        for prefix, name in LAYERS:
            if t.startswith(prefix) and not prefix.startswith("org.deeplearning4j.optimize"):
                return name, direction_of(m) or network_direction(i)
    for i, (t, m) in enumerate(names):
        if t.startswith("org.deeplearning4j.optimize"):
            return "solver (gradient division, parameter step)", "-"
        if t.startswith("org.deeplearning4j.nn.multilayer.MultiLayerNetwork"):
            return "network loop (MultiLayerNetwork itself)", network_direction(i)
    return "other", "-"
count = collections.Counter()
total = 0
for e in events:
    v = e["values"]
    thread = (v.get("sampledThread") or {}).get("javaName")
    st = v.get("stackTrace")
    if thread != "main" or not st or not any(f["method"]["name"] == "fit" and "MultiLayerNetwork" in f["method"]["type"]["name"]
                                             for f in st["frames"]):
        continue
    count[where(st["frames"])] += 1
    total += 1
print(f"{total} samples inside MultiLayerNetwork.fit")
for (layer, direction), n in count.most_common():
    print(f"{100 * n / total:5.1f} %  {layer:<45} {direction}")
PY
echo "== the step's gemm shapes alone, one thread: ND4J's matmul op and torch.mm =="
# shellcheck disable=SC2086
OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 java -Xmx1g $module_flags -cp "$cp" org.sparkvae.bench.GemmBenchmark 2>/dev/null
env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 - <<'PY'
import time, torch
torch.set_num_threads(1); torch.set_flush_denormal(True)
for m, k, n, ta, tb in [(128, 784, 512, 0, 0), (128, 512, 512, 0, 0), (128, 512, 784, 0, 0), (512, 128, 784, 1, 0), (128, 784, 512, 0, 1)]:
    a = torch.rand(k, m).t() if ta else torch.rand(m, k)
    b = torch.rand(n, k).t() if tb else torch.rand(k, n)
    for _ in range(200): torch.mm(a, b)
    t0 = time.perf_counter()
    for _ in range(1000): torch.mm(a, b)
    us = (time.perf_counter() - t0) / 1000 * 1e6
    print(f"torch {m:4d}x{k:4d}x{n:4d}{' A^T' if ta else ''}{' B^T' if tb else ''}: {us:7.1f} us, {2 * m * k * n / us / 1e3:6.1f} GFLOP/s")
PY
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)'), flush-denormal on: phases and ops ($arch, $steps steps) =="
env -u OPENBLAS_CORETYPE OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 /usr/bin/python3 "$here/bench/reference/vae_reference.py" \
  --data "$here/data/mnist" --arch "$arch" --threads 1 --train-images 6400 --profile-steps "$steps" 2>/dev/null
