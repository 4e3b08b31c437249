#!/usr/bin/env bash
# Runs randomized simulation schedules (src/test/java/io/pgha/sim) for a range of seeds, e.g. millions:
#   bench/sim/run.sh [first-seed] [count] [parallel-jobs]
#   bench/sim/run.sh 1 1000000 2
# Prints every schedule that broke an invariant (seed, faults, last 200 events) and the totals; exit 1 if any.
# Replay one: bench/sim/run.sh <seed> 1
set -euo pipefail
cd "$(dirname "$0")/../.."
first=${1:-1}
count=${2:-100000}
jobs=${3:-1}
if [ ! -f target/pgha.jar ] || [ ! -d target/test-classes/io/pgha/sim ]; then
    mvn -B -q -o package -DskipTests >/dev/null
    mvn -B -q -o test-compile >/dev/null
fi
cp="target/test-classes:target/classes:target/pgha.jar"
per=$(( (count + jobs - 1) / jobs ))
pids=()
for ((j = 0; j < jobs; j++)); do
    start=$(( first + j * per ))
    n=$(( count - j * per < per ? count - j * per : per ))
    [ "$n" -gt 0 ] || break
    java -cp "$cp" io.pgha.sim.SimBench "$start" "$n" > "target/sim-$start.log" &
    pids+=($!)
done
status=0
for p in "${pids[@]}"; do wait "$p" || status=1; done
cat target/sim-*.log
exit $status
