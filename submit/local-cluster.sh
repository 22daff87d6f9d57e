#!/usr/bin/env bash
# A real Spark standalone cluster on this machine, from the project's Spark jars, bound to 127.0.0.1:
#   submit/local-cluster.sh start [--no-auth] [WORKERS=2]
#                                                starts a Master and WORKERS Workers (1 core each) and prints the master URL;
#                                                RPC authentication (spark.authenticate) is on with a generated secret in
#                                                $state/auth.conf (mode 600), which submit/spark-submit.sh passes on;
#                                                --no-auth turns it off
#   submit/local-cluster.sh status               prints the master URL and the live processes
#   submit/local-cluster.sh stop                 stops every process it started, by PID
# Environment: SPARK_VAE_CLUSTER_DIR (state, logs; default target/local-cluster),
#   SPARK_VAE_MASTER_PORT (default: first free port from 7077), SPARK_VAE_WORKER_MEMORY (default 2g).
set -euo pipefail
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
state="${SPARK_VAE_CLUSTER_DIR:-$here/target/local-cluster}"
mkdir -p "$state"

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
free_port() { local p="$1"; while ! port_free "$p"; do p=$((p + 1)); done; echo "$p"; }
alive() { [ -f "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

spark_home() {
  # Workers launch executors from SPARK_HOME/jars and insist on a RELEASE file (else "Cannot find any
  # build directories"); build such a directory from the Maven jars (the application's whole
  # classpath: Maven cannot separate "what Spark needs" from jars DL4J shares with it).
  local home="$state/spark-home"
  rm -rf "$home"; mkdir -p "$home/jars"
  echo "Spark (jars from Maven, for spark-vae's local cluster)" > "$home/RELEASE"
  tr ':' '\n' < "$build_dir/classpath.txt" | while read -r jar || [ -n "$jar" ]; do ln -s "$jar" "$home/jars/"; done
  echo "$home"
}

run_java() {  # name, class, args...
  local name="$1"; shift
  local props=()
  # The secret goes in a properties file, never on a command line (ps shows those to every user).
  [ -f "$state/auth.conf" ] && props=(--properties-file "$state/auth.conf")
  # shellcheck disable=SC2086
  SPARK_HOME="$home" SPARK_LOCAL_IP=127.0.0.1 SPARK_SCALA_VERSION=2.12 \
    nohup java -Xmx512m $module_flags -cp "$home/jars/*" "$@" ${props[@]+"${props[@]}"} > "$state/$name.log" 2>&1 &
  echo $! > "$state/$name.pid"
}

case "${1:-}" in
  start)
    shift
    auth=1
    if [ "${1:-}" = "--no-auth" ]; then auth=0; shift; fi
    workers="${1:-2}"
    if alive "$state/master.pid"; then echo "already running: $(cat "$state/master.url")" >&2; exit 1; fi
    home="$(spark_home)"
    rm -f "$state/auth.conf" "$state/submit.conf"
    if [ "$auth" = 1 ]; then
      (umask 077
       printf 'spark.authenticate true\nspark.authenticate.secret %s\n' \
         "$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')" > "$state/auth.conf")
    fi
    port="${SPARK_VAE_MASTER_PORT:-$(free_port 7077)}"
    url="spark://127.0.0.1:$port"
    run_java master org.apache.spark.deploy.master.Master --host 127.0.0.1 --port "$port" \
      --webui-port "$(free_port 18080)"
    for _ in $(seq 1 60); do port_free "$port" || break; alive "$state/master.pid" || break; sleep 1; done
    port_free "$port" && { echo "local-cluster: master did not start, see $state/master.log" >&2; exit 1; }
    echo "$url" > "$state/master.url"
    for i in $(seq 1 "$workers"); do
      mkdir -p "$state/work-$i"
      run_java "worker-$i" org.apache.spark.deploy.worker.Worker --host 127.0.0.1 --cores 1 \
        --memory "${SPARK_VAE_WORKER_MEMORY:-2g}" --webui-port "$(free_port $((18081 + i)))" \
        --work-dir "$state/work-$i" "$url"
    done
    # Wait until every worker has registered with the master.
    for _ in $(seq 1 60); do
      n="$(grep -c "Registering worker" "$state/master.log" 2>/dev/null || true)"
      [ "${n:-0}" -ge "$workers" ] && break
      sleep 1
    done
    [ "${n:-0}" -ge "$workers" ] || { echo "local-cluster: only ${n:-0}/$workers workers registered (see $state)" >&2; exit 1; }
    echo "$url"
    ;;
  status)
    alive "$state/master.pid" || { echo "not running"; exit 1; }
    echo "$(cat "$state/master.url")"
    for f in "$state"/*.pid; do alive "$f" && echo "$(basename "$f" .pid) pid $(cat "$f")"; done
    ;;
  stop)
    for f in "$state"/worker-*.pid "$state"/master.pid; do
      [ -f "$f" ] || continue
      pid="$(cat "$f")"
      if kill -0 "$pid" 2>/dev/null; then
        kill "$pid"
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -0 "$pid" 2>/dev/null && kill -9 "$pid"
      fi
      rm -f "$f"
    done
    rm -f "$state/auth.conf" "$state/submit.conf"
    echo "stopped"
    ;;
  *) echo "usage: $0 start [--no-auth] [workers] | status | stop" >&2; exit 2 ;;
esac
