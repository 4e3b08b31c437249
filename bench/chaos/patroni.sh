#!/bin/bash
# The Patroni 3.0.2 side of the chaos comparison: the shared baseline harness's own scenarios that match the
# harness's faults (failover ~ kill-primary, pgkill ~ kill-postgres, partition ~ partition from etcd only),
# run from the harness's directory, never copied. Its cluster uses fixed ports: the script refuses to run
# while that cluster is up (someone else's run) and always stops the cluster it started.
#
# usage: bench/chaos/patroni.sh [--reps N] [--profile fast|default] [--sync|--async]
#   --reps     runs of each scenario (default 5), each with JITTER_S=loop_wait (a random fault phase)
#   --profile  the harness's timing profile (default fast: ttl 10 / loop_wait 2 / retry_timeout 4)
# Environment: RESULTS (default /tmp/pgha-chaos/patroni), HARNESS (default /work/shared/bench/patroni-baseline).
# Prints the table of bench/chaos/patroni_summary.py; raw lines in $RESULTS/results.jsonl.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
HARNESS="${HARNESS:-/work/shared/bench/patroni-baseline}"
export RESULTS="${RESULTS:-/tmp/pgha-chaos/patroni}"
reps=5; profile=fast; mode=--sync
while [ $# -gt 0 ]; do
  case "$1" in
    --reps) reps="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --sync|--async) mode="$1"; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
log() { echo "[$(date +%T.%3N)] chaos-patroni: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "run as root"; exit 2; }
[ -f "$HARNESS/env.sh" ] || { log "no Patroni harness in $HARNESS"; exit 2; }
source "$HARNESS/env.sh"   # WORK, the harness's fixed ports
if ls "$WORK"/pids/*.pid >/dev/null 2>&1; then
  log "the harness cluster in $WORK is already running (someone else's?); not touching it"; exit 2
fi
case "$profile" in fast) jitter=2 ;; default) jitter=10 ;; *) log "unknown profile $profile"; exit 2 ;; esac
mkdir -p "$RESULTS"
since="$(date +%s%3N)"
stop_cluster() { (cd "$HARNESS" && bash cluster.sh stop >/dev/null 2>&1) || log "cluster.sh stop failed"; }
trap stop_cluster EXIT
trap 'exit 130' INT TERM
(cd "$HARNESS" && bash cluster.sh start "$profile") || { log "the harness cluster did not start"; exit 1; }
for kind in failover pgkill partition; do
  for ((i = 1; i <= reps; i++)); do
    log "$kind $mode, run $i of $reps"
    (cd "$HARNESS" && JITTER_S="$jitter" bash scenario.sh "$kind" "$mode") >> "$RESULTS/scenarios.log" 2>&1 \
      || log "$kind run $i failed (see $RESULTS/scenarios.log)"
  done
done
python3 "$ROOT/bench/chaos/patroni_summary.py" "$RESULTS/results.jsonl" "$since" | tee "$RESULTS/summary.md"
