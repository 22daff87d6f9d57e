#!/usr/bin/env bash
# Runs a spark-vae subcommand through spark-submit (org.apache.spark.deploy.SparkSubmit, client
# mode) with the shaded application jar, e.g.
#   submit/spark-submit.sh --master spark://127.0.0.1:7077 train --epochs 10 --model runs/m10.zip
#   submit/spark-submit.sh --master spark://127.0.0.1:7077 evaluate --model runs/m10.zip --out m.json
# Options before the subcommand: --master URL (default local[*]), --properties-file FILE
# (default conf/spark-defaults.conf), --conf k=v (repeatable), --threads-per-task N (executors of N cores
# running one task of N OpenMP threads each; default 1). Driver heap: SPARK_VAE_JAVA_MEM (2g). Driver log
# configuration: SPARK_VAE_LOG4J (a log4j2 file; default conf/log4j2.properties).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
master="local[*]"
props="$here/conf/spark-defaults.conf"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --master) master="$2"; shift 2 ;;
    --properties-file) props="$2"; shift 2 ;;
    --conf) extra+=(--conf "$2"); shift 2 ;;
    --threads-per-task)
      # One task per executor holding N cores; spark-vae gives its executors OMP_NUM_THREADS = spark.task.cpus.
      [[ "$2" =~ ^[1-9][0-9]*$ ]] || { echo "spark-submit.sh: error: --threads-per-task must be a positive integer, got $2" >&2; exit 1; }
      extra+=(--conf "spark.executor.cores=$2" --conf "spark.task.cpus=$2"); shift 2 ;;
    *) break ;;
  esac
done
[ $# -gt 0 ] || { echo "usage: $0 [--master URL] [--properties-file F] [--conf k=v] [--threads-per-task N] SUBCOMMAND [options]" >&2; exit 2; }
# YARN and Kubernetes need spark-yarn / spark-kubernetes on the launcher's class path, which this launcher does
# not have (Spark would end in "Could not load YARN classes" and a stack trace): refuse in one line and say what to
# run instead. YARN runs from the cluster's own spark-submit (README "On a YARN cluster", YarnClusterIT);
# Kubernetes is untested.
case "$master" in
  yarn*)
    echo "spark-submit.sh: error: --master $master: this launcher runs standalone and local masters only (no spark-yarn on its class path); on YARN run the cluster's own \$SPARK_HOME/bin/spark-submit --master yarn --properties-file conf/spark-defaults.conf --class org.sparkvae.cli.SparkVaeCli $build_dir/spark-vae-cluster.jar SUBCOMMAND ... (README: On a YARN cluster)" >&2
    exit 2 ;;
  k8s://*)
    echo "spark-submit.sh: error: --master $master: Kubernetes is not supported (untested: no spark-kubernetes here and no cluster to test on); use a standalone or YARN cluster (README: On a YARN cluster)" >&2
    exit 2 ;;
esac
# Nothing listens off loopback unasked: with a local or loopback master the driver, its block manager
# and its UI bind to 127.0.0.1 (Spark binds the UI to SPARK_LOCAL_IP, else to every interface).
case "$master" in
  local*|spark://127.*|spark://localhost:*|spark://\[::1\]:*) export SPARK_LOCAL_IP="${SPARK_LOCAL_IP:-127.0.0.1}" ;;
esac
# A cluster started by submit/local-cluster.sh requires its secret: add it to the properties (file mode 600).
state="${SPARK_VAE_CLUSTER_DIR:-$here/target/local-cluster}"
if [ -f "$state/auth.conf" ] && [ "$master" = "$(cat "$state/master.url" 2>/dev/null)" ]; then
  (umask 077; cat "$props" "$state/auth.conf" > "$state/submit.conf")
  props="$state/submit.conf"
fi
app_jar="$build_dir/spark-vae-cluster.jar"
[ -f "$app_jar" ] || { echo "spark-submit.sh: error: $app_jar missing (mvn package)" >&2; exit 1; }
# Executors inherit the BLAS kernel choice made for this machine (submit/env.sh).
[ -n "${OPENBLAS_CORETYPE:-}" ] && extra+=(--conf "spark.executorEnv.OPENBLAS_CORETYPE=$OPENBLAS_CORETYPE")

# Client mode: this JVM is the driver, so it gets the module flags and heap directly.
# shellcheck disable=SC2086
exec java -Xmx"${SPARK_VAE_JAVA_MEM:-2g}" $module_flags \
  -Dlog4j2.configurationFile="${SPARK_VAE_LOG4J:-$here/conf/log4j2.properties}" \
  -cp "$(cat "$build_dir/classpath.txt")" org.apache.spark.deploy.SparkSubmit \
  --master "$master" --deploy-mode client --properties-file "$props" ${extra[@]+"${extra[@]}"} \
  --class org.sparkvae.cli.SparkVaeCli "$app_jar" "$@"
