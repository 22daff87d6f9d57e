# Shared by the submit/ scripts (sourced): build check, JVM flags, and the environment ND4J needs.
# Sets: here, build_dir, module_flags; exports OMP_NUM_THREADS and (where it helps) OPENBLAS_CORETYPE.
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
build_dir="${build_dir:-$here/target}"

stamp="$build_dir/.spark-vae-built"
build_needed() {
  [ ! -f "$stamp" ] || [ ! -f "$build_dir/classpath.txt" ] && return 0
  [ -n "$(find "$here/src/main" "$here/pom.xml" -newer "$stamp" -print -quit)" ]
}
# SPARK_VAE_NO_BUILD=1: use the existing build (set by the integration tests, which run inside Maven).
if [ -z "${SPARK_VAE_NO_BUILD:-}" ] && build_needed; then
  echo "spark-vae: building (mvn package)..." >&2
  (cd "$here" && mvn -q -B -Dstyle.color=never ${profile[@]+"${profile[@]}"} package -DskipTests >&2) \
    || { echo "spark-vae: error: build failed" >&2; exit 1; }
  touch "$stamp"
fi

module_flags="$(sed -n 's/^jvm.module.flags=//p' "$build_dir/classes/spark-vae-build.properties")"
# JavaCPP reads /proc/self/statm on every native allocation to enforce maxPhysicalBytes: 5 % of a training
# step (bench/README.md). Its other guard, maxBytes (default: the heap size), still triggers GC. Executors keep
# their limits from conf/spark-defaults.conf.
module_flags="$module_flags -Dorg.bytedeco.javacpp.maxPhysicalBytes=0"

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
if [ -n "${SPARK_VAE_BLAS_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE="$SPARK_VAE_BLAS_CORETYPE"
elif grep -q -w avx512f /proc/cpuinfo 2>/dev/null && grep -q -w avx512bw /proc/cpuinfo && grep -q -w avx512vl /proc/cpuinfo; then
  # OpenBLAS 0.3.19 does not know recent AMD cores and falls back to AVX2 (Haswell) kernels; its
  # AVX-512 (SkylakeX) sgemm is 1.23x faster per training epoch here (bench/README.md).
  export OPENBLAS_CORETYPE=SkylakeX
fi
