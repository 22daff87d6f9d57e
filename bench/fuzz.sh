#!/usr/bin/env bash
# Runs each fuzz target of the parsers of untrusted bytes in Jazzer's fuzzing mode (coverage-guided, instrumented),
# one after another, for MINUTES each (default 10), and prints per target: how long it ran and whether it found
# anything. A finding stops that target; Jazzer writes the crashing input under
# src/test/resources/<package>/<Class>Inputs/<method>/, where `mvn test` replays it from then on (regression mode).
#   bench/fuzz.sh [minutes=10] [targets="Class#method ..."]
set -uo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
minutes="${1:-10}"
targets="${2:-IdxReaderFuzzTest#images IdxReaderFuzzTest#imagesGzip IdxReaderFuzzTest#labels IdxOptionsFuzzTest#options
ModelZipFuzzTest#modelZip ModelZipFuzzTest#modelInfoJson SweepGridFuzzTest#grid
VaeModelMetadataFuzzTest#metadata}"
cd "$here"
mvn -B -q -o test-compile >/dev/null || { echo "fuzz.sh: error: mvn test-compile failed" >&2; exit 1; }
logs="$here/target/fuzz"; mkdir -p "$logs"
for t in $targets; do
  log="$logs/${t/\#/-}.log"
  start=$(date +%s)
  stamp="$logs/.start"; touch "$stamp"
  # @FuzzTest(maxDuration = "10m") ends a run by itself; timeout ends a shorter one (exit 124: ran out, no finding).
  JAZZER_FUZZ=1 timeout "$((minutes * 60 + 90))s" mvn -B -o surefire:test -Dtest="$t" -Dsurefire.failIfNoSpecifiedTests=false \
    >"$log" 2>&1
  rc=$?
  ran=$(( $(date +%s) - start ))
  execs=$(grep -oE '#[0-9]+' "$log" | tail -1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -1)
  if [ $rc -eq 124 ]; then
    # libFuzzer saves the input it was running when timeout's SIGTERM arrived as crash-*: not a finding
    find "$here/src/test/resources" -name 'crash-*' -newer "$stamp" -delete
  fi
  if [ $rc -eq 0 ] || [ $rc -eq 124 ]; then
    echo "$t: ${ran} s, ${execs:-?} inputs, ${cov:-cov ?}: no finding"
  else
    echo "$t: ${ran} s, ${execs:-?} inputs: FINDING (exit $rc), see $log"
    grep -m3 -E "== Java Exception|Exception|Error" "$log" | sed 's/^/    /'
  fi
done
