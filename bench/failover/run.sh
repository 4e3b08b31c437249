#!/bin/bash
# The whole failover comparison: pgha with its default timing, pgha with the Patroni harness's "fast"
# timing, Patroni 3.0.2 "fast" through the shared harness; then the table of medians and ratios.
# Run as root from anywhere; one cluster at a time (2 cores: no concurrent clusters).
#
# usage: run.sh [--trials N] [--scenarios "failover handover pgkill"] [--port-base B] [--no-patroni]
#               [--extra-pgha-profile PROFILE[:LOGIN_RETRY]]...
# Writes $RESULTS/results.jsonl (appends) and $RESULTS/summary-<start>.md (this run's trials only).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
trials=5; scenarios="failover handover pgkill"; base=40000; patroni=1; extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --trials) trials="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --no-patroni) patroni=0; shift ;;
    --extra-pgha-profile) extra+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$RESULTS"
start=$(now_ms)
H="$BENCH_HOME"
# one copy of the jar for every pgha profile of this run
src="$(cd "$BENCH_HOME/../.." && pwd)/target/pgha.jar"
mkdir -p "$RESULTS/jar"; chmod 755 "$RESULTS" "$RESULTS/jar"
export PGHA_JAR="${PGHA_JAR:-$RESULTS/jar/pgha.jar}"
[ "$PGHA_JAR" = "$RESULTS/jar/pgha.jar" ] && { cp "$src" "$PGHA_JAR" && chmod 644 "$PGHA_JAR" || die "cannot copy $src"; }
log "jar: $PGHA_JAR ($(sha256sum "$PGHA_JAR" | cut -c1-12)); results: $RESULTS"
{
  echo "run started $(date -u +%FT%TZ); trials=$trials scenarios=$scenarios"
  echo "machine: $(nproc) cores, $(free -m | awk '/^Mem:/ {print $2}') MiB RAM, load before start: $(cut -d' ' -f1-3 /proc/loadavg)"
  echo "jar sha256 $(sha256sum "$PGHA_JAR" | cut -d' ' -f1); repo HEAD $(git -C "$BENCH_HOME" rev-parse --short HEAD 2>/dev/null)"
} > "$RESULTS/run-$start.txt"

bash "$H/pgha.sh" --profile default --trials "$trials" --scenarios "$scenarios" --port-base "$base" || log "pgha default profile failed"
bash "$H/pgha.sh" --profile fast --trials "$trials" --scenarios "$scenarios" --port-base "$base" || log "pgha fast profile failed"
for e in "${extra[@]}"; do
  p="${e%%:*}"; r=""; [ "$e" != "$p" ] && r="${e#*:}"
  bash "$H/pgha.sh" --profile "$p" --trials "$trials" --scenarios "$scenarios" --port-base "$base" \
    ${r:+--pgbouncer-login-retry "$r"} || log "pgha $e failed"
done
[ "$patroni" = 1 ] && { bash "$H/patroni.sh" --profile fast --trials "$trials" --scenarios "$scenarios" || log "Patroni run failed"; }
echo "load during the run (1/5/15 min) at the end: $(cut -d' ' -f1-3 /proc/loadavg)" >> "$RESULTS/run-$start.txt"
"$PY" "$BENCH_LIB/summary.py" "$RESULTS" --since "$start" | tee "$RESULTS/summary-$start.md"
log "summary: $RESULTS/summary-$start.md"
