#!/bin/bash
# The fault-injection harness (issue 5), full size: per fault kind a fresh `pgha local` cluster and N faults
# of that kind in a row on it, the checks after each; then the table per fault kind. Needs root (kill,
# iptables, cgroups; pgha local then runs PostgreSQL and the agents as user pgha). See docs/chaos.md.
#
# usage: bench/chaos/run.sh [--mode sync|strict-sync|async] [--kinds LIST] [--count N] [--port-base B]
#                           [--timing default|fast] [--hold S] [--delay-ms D] [--failsafe] [--keep] [--fresh-each]
#                           [--patroni N]
#   --mode       replication mode of the cluster (pgha local up --replication; default sync). async adds a
#                proxy delaying the replication path by --delay-ms (default 100) each way and reports the
#                acknowledged commits lost instead of failing on them
#   --kinds      comma-separated: kill-primary,kill-postgres,sigstop-agent,etcd-member,etcd-quorum,partition,
#                fence-thread-death,slow-etcd (default all)
#   --count      faults of each kind (default 30)
#   --port-base  the cluster's port base (default 61000, above the kernel's ephemeral port range 32768-60999:
#                a port freed by a killed process cannot be taken by an outgoing connection; the proxies use
#                base+501.. in async mode, base+481..483 with slow-etcd)
#   --timing     default = pgha's ttl 6 / loop_wait 1 / retry_timeout 2; fast = 10 / 2 / 4 (the Patroni
#                harness's "fast" profile, for comparing with --patroni)
#   --hold       seconds a fault lasts where the harness ends it (SIGSTOP, partition, etcd down); default 2 x ttl
#   --failsafe   create the cluster with failsafe mode (pgha local up --failsafe)
#   --keep       leave the cluster running afterwards (its directory is printed)
#   --fresh-each every fault on a fresh cluster of its own (COUNT clusters per kind; results in <kind>/<i>/):
#                independent trials, and a way around an agent bug that stops a run of several faults
#   --patroni N  afterwards, N runs of each scenario the shared Patroni 3.0.2 harness can drive
#                (failover, pgkill, partition; synchronous unless --mode async) via bench/chaos/patroni.sh
# Environment: RESULTS (default /tmp/pgha-chaos): the run's files go to $RESULTS/pgha-<mode>-<timing>/<kind>/
#   (one pgha chaos run each), with results.jsonl (all kinds) and summary.md next to them;
#   PGHA_JAR (default: a copy of target/pgha.jar taken at start, so a rebuild during the run changes nothing).
# Exit code: 1 if any kind lost an acknowledged commit (not in async mode) or had overlapping writable
#   members, else 3 if any did not recover within the bounds, else 0; 2 for bad input.
set -uo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
RESULTS="${RESULTS:-/tmp/pgha-chaos}"

mode=sync; kinds=""; count=30; base=61000; timing=default; hold=""; delay=100; failsafe=0; keep=0; patroni=0; fresh=0
while [ $# -gt 0 ]; do
  case "$1" in
    --mode) mode="$2"; shift 2 ;;
    --kinds) kinds="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --timing) timing="$2"; shift 2 ;;
    --hold) hold="$2"; shift 2 ;;
    --delay-ms) delay="$2"; shift 2 ;;
    --failsafe) failsafe=1; shift ;;
    --keep) keep=1; shift ;;
    --fresh-each) fresh=1; shift ;;
    --patroni) patroni="$2"; shift 2 ;;
    -h|--help) sed -n '2,/^set -uo/p' "$0" | sed '$d'; exit 0 ;;
    *) echo "unknown option $1 (see --help)" >&2; exit 2 ;;
  esac
done
log() { echo "[$(date +%T.%3N)] chaos: $*" >&2; }
[ "$(id -u)" = 0 ] || { log "run as root"; exit 2; }
case "$timing" in
  default) timing_args=() ;;
  fast) timing_args=(--up-arg=--ttl=10 --up-arg=--loop-wait=2 --up-arg=--retry-timeout=4) ;;
  *) log "unknown timing $timing"; exit 2 ;;
esac
case "$mode" in async|sync|strict-sync) ;; *) log "unknown mode $mode"; exit 2 ;; esac

out="$RESULTS/pgha-$mode-$timing"
mkdir -p "$out"
if [ -z "${PGHA_JAR:-}" ]; then
  [ -f "$ROOT/target/pgha.jar" ] || { log "target/pgha.jar missing: flock /tmp/pgha-mvn.lock mvn -B -o -q package -DskipTests"; exit 2; }
  cp "$ROOT/target/pgha.jar" "$out/pgha.jar"
  PGHA_JAR="$out/pgha.jar"
fi
pgha() { java -jar "$PGHA_JAR" "$@"; }

all_kinds="${kinds:-kill-primary,kill-postgres,sigstop-agent,etcd-member,etcd-quorum,partition,fence-thread-death,slow-etcd}"
args=(--port-base "$base" "${timing_args[@]}")
[ -n "$hold" ] && args+=(--hold "$hold")
if [ "$mode" = async ]; then
  args+=(--replication-delay-ms "$delay" --allow-loss)
  pgha local up --help | grep -q -- '--replication' && args+=(--up-arg=--replication=async)
else
  pgha local up --help | grep -q -- '--replication' \
    || { log "this pgha has no pgha local up --replication yet: only --mode async works"; exit 2; }
  args+=("--up-arg=--replication=$mode")
fi
if [ "$failsafe" = 1 ]; then
  pgha local up --help | grep -q -- '--failsafe' || { log "this pgha has no pgha local up --failsafe yet"; exit 2; }
  args+=(--up-arg=--failsafe)
fi
[ "$keep" = 1 ] && args+=(--keep-cluster)

chaos_pid=""; dir=""; kout=""
finish() {
  local code=$?
  if [ -n "$chaos_pid" ] && kill -0 "$chaos_pid" 2>/dev/null; then
    log "stopping pgha chaos run (pid $chaos_pid)"
    kill -TERM "$chaos_pid"; wait "$chaos_pid"
  fi
  [ -n "$kout" ] && pgha chaos cleanup --results "$kout" >&2
  if [ "$keep" = 0 ] && [ -n "$dir" ] && [ -f "$dir/cluster.json" ]; then
    pgha local down --dir "$dir" >/dev/null 2>&1 || log "pgha local down --dir $dir failed"
  fi
  exit $code
}
trap finish EXIT
trap 'exit 130' INT TERM

worst=0
# one pgha chaos run: a fresh cluster, N faults of one kind on it, results in $kout
one_run() {  # KIND COUNT
  mkdir -p "$kout"
  dir="$(mktemp -d "/var/tmp/pgha-chaos-$mode.XXXXXX")"
  chmod 755 "$dir"   # pgha local up takes an empty directory and gives it to user pgha
  log "$1 x $2: pgha chaos run --dir $dir --results $kout --faults $1 ${args[*]}  (log: $kout/chaos.log)"
  pgha chaos run --dir "$dir" --results "$kout" --faults "$1" --count "$2" "${args[@]}" > "$kout/summary.txt" 2> "$kout/chaos.log" &
  chaos_pid=$!
  wait "$chaos_pid"; code=$?
  chaos_pid=""
  log "$1: pgha chaos run exited $code"
  cat "$kout/summary.txt" >&2
  if [ "$code" = 1 ] || { [ "$code" = 3 ] && [ "$worst" != 1 ]; }; then worst=$code; fi
  [ "$code" = 2 ] && worst=2
  # the run stopped the cluster it created and copied its logs to $kout/logs; remove the directory only
  # once pgha local down confirms nothing of it runs
  if [ "$keep" = 1 ]; then log "cluster kept in $dir"
  elif pgha local down --dir "$dir" >/dev/null 2>&1; then rm -rf "$dir"
  else log "pgha local down --dir $dir failed: left in place"; fi
  dir=""
}
IFS=, read -ra kind_list <<< "$all_kinds"
for kind in "${kind_list[@]}"; do
  if [ "$fresh" = 1 ]; then
    for ((i = 1; i <= count; i++)); do kout="$out/$kind/$i"; one_run "$kind" 1; done
    cat "$out/$kind"/*/results.jsonl > "$out/$kind/results.jsonl" 2>/dev/null
  else
    kout="$out/$kind"; one_run "$kind" "$count"
  fi
done
cat "$out"/*/results.jsonl > "$out/results.jsonl" 2>/dev/null
{ echo "pgha chaos, mode $mode, timing $timing, $count per kind ($(date -u +%FT%TZ))"; echo
  pgha chaos summary --results "$out"; } | tee "$out/summary.md"
log "results in $out (summary.md, results.jsonl, <kind>/)"

if [ "$patroni" -gt 0 ]; then
  pmode=--sync; [ "$mode" = async ] && pmode=--async
  RESULTS="$RESULTS/patroni" bash "$ROOT/bench/chaos/patroni.sh" --reps "$patroni" "$pmode" || log "the Patroni comparison failed"
fi
exit $worst
