#!/usr/bin/env bash
# Makes the launcher's class-data archive, target/spark-vae.jsa (mvn package runs this: pom.xml, class-archive):
# ClassArchiveRun's jobs on generated images in a JVM that writes the classes it loaded at exit
# (-XX:ArchiveClassesAtExit), with the class path submit/spark-vae uses with it (env.sh). The archive is written
# under a temporary name and renamed into place once whole. It is only a start-up cache: a failure here warns
# and leaves no archive (the launcher then starts as before), it does not fail the build.
set -uo pipefail
export SPARK_VAE_NO_BUILD=1 # inside Maven's build: env.sh must not start another
export SPARK_VAE_NO_CLASS_ARCHIVE=1
# shellcheck source=env.sh
source "$(dirname "${BASH_SOURCE[0]}")/env.sh"
export SPARK_CONF_DIR="${SPARK_CONF_DIR:-$here/conf}"
if [ -z "$app_jar" ]; then
  echo "spark-vae: warning: no class-data archive (no spark-vae jar in $build_dir)" >&2
  exit 0
fi
# Up to date (a package that changed nothing): the JVM would accept it as it is.
if archive_current; then
  exit 0
fi
tmp="$class_archive.tmp.$$"
work="$build_dir/class-archive-run"
log="$build_dir/class-archive.log"
trap 'rm -f "$tmp"; rm -rf "$work"' EXIT
rm -f "$class_archive"
# shellcheck disable=SC2086
if java -XX:ArchiveClassesAtExit="$tmp" -Xmx"${SPARK_VAE_JAVA_MEM:-4g}" $module_flags -cp "$archive_cp" \
    org.sparkvae.cli.ClassArchiveRun "$work" > "$log" 2>&1 && [ -s "$tmp" ]; then
  mv -f "$tmp" "$class_archive"
else
  echo "spark-vae: warning: no class-data archive: its run failed (log: $log); commands start without it" >&2
fi
exit 0
