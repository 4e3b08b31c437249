#!/bin/bash
# The short fault-injection run for CI (issue 5): a fresh `pgha local` cluster in synchronous mode, one fault
# each of kill-primary, kill-postgres, sigstop-agent, partition, fence-thread-death and slow-etcd (a few
# minutes), then the checks. Exits non-zero on any lost acknowledged commit, any two members acknowledging
# writes at the same time, or a cluster that does not recover. Needs root and target/pgha.jar. The full harness: bench/chaos/run.sh.
#
# usage: scripts/chaos-short.sh [--count N] [--port-base B] [--kinds LIST]
#   --port-base  default: the first of 61000, 62000, 63000, 64000 with nothing listening in B..B+599 (above
#                the kernel's ephemeral port range; another cluster on the machine may hold 61000)
# Environment: RESULTS (default target/chaos-short); the cluster lives in a fresh /var/tmp/pgha-chaos-ci.*
# directory and is stopped at the end.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
count=1; base=""; kinds="kill-primary,kill-postgres,sigstop-agent,partition,fence-thread-death,slow-etcd"
while [ $# -gt 0 ]; do
  case "$1" in
    --count) count="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --kinds) kinds="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
say() { printf 'chaos-short: %s\n' "$*" >&2; }
[ "$(id -u)" = 0 ] || { say "needs root"; exit 2; }
[ -f "$ROOT/target/pgha.jar" ] || { say "target/pgha.jar missing: run mvn package first"; exit 2; }
if [ -z "$base" ]; then
  for b in 61000 62000 63000 64000; do
    if ! ss -Htln | awk '{ n = split($4, a, ":"); print a[n] }' | awk -v lo="$b" '$1 >= lo && $1 < lo + 600 { busy = 1 } END { exit !busy }'; then
      base=$b; break
    fi
  done
  [ -n "$base" ] || { say "no free port base among 61000-64000"; exit 2; }
fi
RESULTS="${RESULTS:-$ROOT/target/chaos-short}"
rm -rf "$RESULTS"; mkdir -p "$RESULTS"
jar="$RESULTS/pgha.jar"
cp "$ROOT/target/pgha.jar" "$jar"
pgha() { java -jar "$jar" "$@"; }

args=(--results "$RESULTS" --faults "$kinds" --count "$count" --port-base "$base" --up-arg=--replication=sync)
say "synchronous replication, port base $base; faults: $kinds x $count"
dir="$(mktemp -d /var/tmp/pgha-chaos-ci.XXXXXX)"
chmod 755 "$dir"
cleanup() {
  pgha chaos cleanup --results "$RESULTS" >&2
  if [ -f "$dir/cluster.json" ] && ! pgha local down --dir "$dir" >/dev/null 2>&1; then
    say "pgha local down --dir $dir failed: left in place"; return
  fi
  rm -rf "$dir"
}
trap cleanup EXIT
pgha chaos run --dir "$dir" "${args[@]}" 2> "$RESULTS/chaos.log"
code=$?
grep -E "OVERLAP|LOST|STOPPED|not whole" "$RESULTS/chaos.log" >&2
say "pgha chaos run exited $code (log: $RESULTS/chaos.log, results: $RESULTS/results.jsonl)"
exit $code
