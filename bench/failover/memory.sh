#!/bin/bash
# Idle footprint: RSS (and PSS, threads, CPU) of the pgha agents after N minutes idle, next to Patroni's
# on the same machine over the same window. Run as root.
#
# usage: memory.sh [--minutes 5] [--port-base 40000] [--no-patroni] [--variant NAME='JVM FLAGS']...
#   A `pgha local` cluster (pgha's default timing) whose agents run with the JVM flags `pgha local` passes;
#   each --variant adds one more cluster (port base + 1000 * k) whose agents run with the given flags
#   (PGHA_AGENT_JAVA_OPTS replaces pgha local's flag list); and the Patroni 3.0.2 harness cluster
#   ($BASELINE/cluster.sh start fast), whose own resources.sh runs over the same window.
#   All clusters are started first, then left idle for --minutes; CPU is measured over that window,
#   memory at its end.
# Output: a table on stdout, $RESULTS/memory-<start>/ (details, JVM flags, resources.sh output) and one
# JSON line per process in $RESULTS/memory.jsonl.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"

minutes=5; base=40000; patroni=1; variants=()
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --no-patroni) patroni=0; shift ;;
    --variant) variants+=("$2"); shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || die "run as root"
start=$(now_ms)
OUT="$RESULTS/memory-$start"; mkdir -p "$OUT"; chmod 755 "$RESULTS"
if [ -z "${PGHA_JAR:-}" ]; then
  src="$(cd "$BENCH_HOME/../.." && pwd)/target/pgha.jar"; [ -f "$src" ] || die "$src missing"
  mkdir -p "$RESULTS/jar"; chmod 755 "$RESULTS/jar"; PGHA_JAR="$RESULTS/jar/pgha-memory.jar"; cp "$src" "$PGHA_JAR"; chmod 644 "$PGHA_JAR"
fi
export WORK="${WORK:-/tmp/pgha-bench}"

names=(local-flags); opts=(""); for v in "${variants[@]}"; do names+=("${v%%=*}"); opts+=("${v#*=}"); done
dirs=()
cleanup() {
  local d
  for d in "${dirs[@]}"; do java -jar "$PGHA_JAR" local down --dir "$d" >> "$OUT/local.log" 2>&1 || log "local down $d failed"; done
  [ "$patroni" = 1 ] && [ -n "${PAT_STARTED:-}" ] && { RESULTS="$RESULTS/patroni-harness" bash "$BASELINE/cluster.sh" stop >> "$OUT/patroni.log" 2>&1 || log "cluster.sh stop failed"; }
  stop_helpers
}
trap cleanup EXIT
trap 'exit 130' INT TERM

up_cluster() {  # $1=index $2=port base
  local k="$1" b="$2" d="/tmp/pgfb-mem-$1" ports m
  [ -f "$d/cluster.json" ] && java -jar "$PGHA_JAR" local down --dir "$d" >> "$OUT/local.log" 2>&1
  rm -rf "$d"
  ports=($b $((b + 1)) $((b + 2))); for m in 1 2 3; do ports+=($((b + 10 + m)) $((b + 20 + m)) $((b + 100 + m)) $((b + 200 + m)) $((b + 300 + m))); done
  ports_free "${ports[@]}" || return 1
  log "starting pgha local ${names[$k]} in $d (port base $b)${opts[$k]:+ with agent flags: ${opts[$k]}}"
  if [ -n "${opts[$k]}" ]; then
    PGHA_AGENT_JAVA_OPTS="${opts[$k]}" java -jar "$PGHA_JAR" local up --dir "$d" --port-base "$b" >> "$OUT/local.log" 2>&1
  else
    env -u PGHA_AGENT_JAVA_OPTS java -jar "$PGHA_JAR" local up --dir "$d" --port-base "$b" >> "$OUT/local.log" 2>&1
  fi
}
for k in "${!names[@]}"; do
  # other tests on this machine take random ports: on a clash, try another base (up to 4 times)
  ok=0
  for attempt in 0 1 2 3; do
    if up_cluster "$k" $((base + 1000 * (k + attempt * ${#names[@]}))); then ok=1; break; fi
    log "local up of ${names[$k]} failed (attempt $((attempt + 1))); see $OUT/local.log"
  done
  [ $ok = 1 ] || die "cannot start ${names[$k]}"
  dirs+=("/tmp/pgfb-mem-$k")
done
if [ "$patroni" = 1 ]; then
  log "starting the Patroni harness cluster (fast profile)"
  PAT_STARTED=1
  RESULTS="$RESULTS/patroni-harness" bash "$BASELINE/cluster.sh" start fast >> "$OUT/patroni.log" 2>&1 || die "cluster.sh start failed; see $OUT/patroni.log"
fi

# process list: label pid
procs="$OUT/procs.txt"; : > "$procs"
for k in "${!names[@]}"; do
  c="${dirs[$k]}/cluster.json"
  jq -r --arg v "${names[$k]}" '.members[] | "pgha:\($v) agent-\(.name) \(.agentPid)", "pgha:\($v) pgbouncer-\(.name) \(.pgbouncerPid)"' "$c" >> "$procs"
  [ "$k" = 0 ] && jq -r '(.etcd.members[] | "pgha:local-flags etcd-\(.name) \(.pid)"), "pgha:local-flags haproxy \(.haproxy.pid)"' "$c" >> "$procs"
done
if [ "$patroni" = 1 ]; then
  for m in m1 m2 m3; do echo "patroni patroni-$m $(cat "$WORK/pids/patroni-$m.pid")" >> "$procs"; done
  for e in e1 e2 e3; do echo "patroni etcd-$e $(cat "$WORK/pids/etcd-$e.pid")" >> "$procs"; done
  echo "patroni haproxy $(cat "$WORK/pids/haproxy.pid")" >> "$procs"
fi
# what the agents run with
for k in "${!names[@]}"; do
  p=$(jq -r '.members[0].agentPid' "${dirs[$k]}/cluster.json")
  { echo "== ${names[$k]}: agent command line (pid $p)"; tr '\0' ' ' < "/proc/$p/cmdline"; echo
    echo "   environment: $(tr '\0' '\n' < "/proc/$p/environ" | grep -E '^(MALLOC_|JAVA_|_JAVA)' | tr '\n' ' ')"; } >> "$OUT/jvm-flags.txt"
done
secs=$((minutes * 60))
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
declare -A t0; while read -r sys name pid; do t0[$pid]=$(ticks "$pid"); done < "$procs"
if [ "$patroni" = 1 ]; then
  RESULTS="$RESULTS/patroni-harness" bash "$BASELINE/resources.sh" "$secs" > "$OUT/patroni-resources.txt" 2>&1 &
  HELPER_PIDS+=($!)
fi
log "idle for $minutes min ..."
sleep "$secs"
wait 2>/dev/null
kib() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/$3" 2>/dev/null; }
printf '%-22s %-16s %8s %8s %8s %8s %7s %8s\n' system process pid rss_mib pss_mib anon_mib threads cpu_pct | tee "$OUT/table.txt"
while read -r sys name pid; do
  rss=$(kib "$pid" VmRSS status); pss=$(kib "$pid" Pss smaps_rollup); anon=$(kib "$pid" RssAnon status)
  thr=$(awk '/^Threads:/ {print $2}' "/proc/$pid/status" 2>/dev/null)
  cpu=$(awk -v d=$(( $(ticks "$pid") - ${t0[$pid]} )) -v hz="$hz" -v s="$secs" 'BEGIN {printf "%.2f", d / hz / s * 100}')
  awk -v a="$sys" -v b="$name" -v c="$pid" -v r="${rss:-0}" -v p="${pss:-0}" -v n="${anon:-0}" -v t="$thr" -v u="$cpu" \
    'BEGIN { printf "%-22s %-16s %8s %8.1f %8.1f %8.1f %7s %8s\n", a, b, c, r / 1024, p / 1024, n / 1024, t, u }' | tee -a "$OUT/table.txt"
  echo "{\"start_ms\":$start,\"window_s\":$secs,\"system\":\"$sys\",\"process\":\"$name\",\"rss_kib\":${rss:-null},\"pss_kib\":${pss:-null},\"anon_kib\":${anon:-null},\"threads\":${thr:-null},\"cpu_pct\":$cpu}" >> "$RESULTS/memory.jsonl"
done < "$procs"
echo
awk '$2 ~ /^agent-|^patroni-/ { s[$1] += $4; c[$1]++; p[$1] += $5; u[$1] += $8 }
     END { for (k in s) printf "%-22s mean of %d: RSS %.1f MiB, PSS %.1f MiB, CPU %.2f %% of a core\n", k, c[k], s[k] / c[k], p[k] / c[k], u[k] / c[k] }' \
  "$OUT/table.txt" | sort | tee "$OUT/means.txt"
echo; cat "$OUT/jvm-flags.txt"
[ "$patroni" = 1 ] && { echo; echo "Patroni harness resources.sh over the same window:"; cat "$OUT/patroni-resources.txt"; }
log "details in $OUT"
