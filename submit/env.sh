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

# The class path, and the class-data archive when it matches the build (sets app_cp and cds_flags). Each command loads
# about 20,000 classes of Spark, Scala, DL4J and ND4J; the archive (ClassArchiveRun, made by submit/class-archive.sh
# at mvn package) maps them instead of parsing and verifying them again: a third less CPU for a small job
# (bench/README.md: Start-up). The JVM archives classes from jars only, so a run with the archive reads our classes
# from the plain jar, and only while that jar holds the newest classes (mvn compile alone leaves it behind). The JVM
# checks the archive against the class path's jars itself and ignores it if they differ (the cds log lines would say
# so on every command: they are off).
app_jar=""
for f in "$build_dir"/spark-vae-[0-9]*.jar; do [ -f "$f" ] && app_jar="$f"; done
class_archive="$build_dir/spark-vae.jsa"
deps_cp="$(cat "$build_dir/classpath.txt" 2>/dev/null || true)"
# The class path the archive is made with (class-archive.sh) and used with: the JVM compares the two.
archive_cp="$app_jar:$deps_cp"
# The archive was made from this jar and class path (it is newer than both).
archive_current() {
  [ -n "$app_jar" ] && [ -f "$build_dir/classpath.txt" ] && [ "$class_archive" -nt "$app_jar" ] && [ "$class_archive" -nt "$build_dir/classpath.txt" ]
}
app_cp="$build_dir/classes:$deps_cp"
cds_flags=()
if [ -z "${SPARK_VAE_NO_CLASS_ARCHIVE:-}" ] && archive_current \
    && [ -z "$(find "$build_dir/classes" -type f -newer "$app_jar" -print -quit)" ]; then
  app_cp="$archive_cp"
  cds_flags=(-XX:SharedArchiveFile="$class_archive" -Xlog:cds=off -Xlog:cds+dynamic=off)
fi

export OMP_NUM_THREADS="${OMP_NUM_THREADS:-1}"
if [ -n "${SPARK_VAE_BLAS_CORETYPE:-}" ]; then
  export OPENBLAS_CORETYPE="$SPARK_VAE_BLAS_CORETYPE"
elif grep -q -w avx512f /proc/cpuinfo 2>/dev/null && grep -q -w avx512bw /proc/cpuinfo && grep -q -w avx512vl /proc/cpuinfo; then
  # OpenBLAS 0.3.19 does not know recent AMD cores and falls back to AVX2 (Haswell) kernels; its
  # AVX-512 (SkylakeX) sgemm is 1.23x faster per training epoch here (bench/README.md).
  export OPENBLAS_CORETYPE=SkylakeX
fi
