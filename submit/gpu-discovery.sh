#!/usr/bin/env bash
# Spark GPU discovery script (spark.{driver,executor,worker}.resource.gpu.discoveryScript): prints
# the GPUs of this host as Spark's ResourceInformation JSON, e.g. {"name":"gpu","addresses":["0","1"]}.
# It lists only GPUs that nd4j-cuda-11.6 1.0.0-M2.1 can run on (compute capability 3.7-8.9), so an
# executor is never handed a Hopper GPU it would crash on; see README "GPU backend".
set -euo pipefail
addresses=()
while IFS=, read -r index cc; do
  index="${index// /}"; cc="${cc// /}"
  major="${cc%%.*}"; minor="${cc#*.}"
  case "$major" in
    3) [ "$minor" -ge 7 ] && addresses+=("\"$index\"") ;;
    5|6|7|8) addresses+=("\"$index\"") ;;
    *) echo "gpu-discovery: skipping GPU $index (compute capability $cc: no nd4j-cuda-11.6 kernels)" >&2 ;;
  esac
done < <(nvidia-smi --query-gpu=index,compute_cap --format=csv,noheader 2>/dev/null || true)
(IFS=,; echo "{\"name\":\"gpu\",\"addresses\":[${addresses[*]:-}]}")
