#!/bin/bash
# The same scenarios against Patroni 3.0.2, through the shared baseline harness ($BASELINE, default
# /work/shared/bench/patroni-baseline). Run as root (the harness creates OS users pgha1..3).
#
# usage: patroni.sh [--profile fast|default] [--trials N] [--scenarios "failover handover pgkill switchover"]
#   failover, pgkill, switchover: the harness's own `scenario.sh KIND --async` with JITTER_S=<loop_wait>
#   handover:         not a harness scenario; done here the same way as for pgha: SIGTERM of the leader's
#                     Patroni process (pid file under $WORK/pids), writes through the harness's HAProxy,
#                     then the harness's start_patroni starts it again and we time its rejoin.
# An etcd watch (lib/etcdwatch.py) runs throughout, so that the leader-key figures are measured the same way
# as for pgha; every trial is re-analysed by lib/metrics.py into $RESULTS/results.jsonl (the harness's own
# analysis stays in $RESULTS/patroni-harness/results.jsonl).
# The harness uses ports 23791-23793, 23801-23803, 55431-55433, 28008-28010, 25000, 25001, 27000, and
# wipes $WORK (default /tmp/pgha-bench).
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"

profile=fast; trials=5; scenarios="failover handover pgkill"
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --trials) trials="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || die "run as root"
[ -f "$BASELINE/cluster.sh" ] || die "no harness at $BASELINE"
export WORK="${WORK:-/tmp/pgha-bench}"
HRES="$RESULTS/patroni-harness"
label="patroni-$profile"
PROF_DIR="$RESULTS/$label"
mkdir -p "$RESULTS/runs" "$HRES" "$PROF_DIR"

# the harness's settings, read from its env.sh (values only)
eval "$(bash -c 'source "$1/env.sh"
  echo "H_ETCD=$ETCD_ENDPOINTS H_KEY=${NAMESPACE%/}/$SCOPE/leader H_PASS=$SU_PASS H_RW=$HA_WRITE_PORT H_STATS=$HA_STATS_PORT"
  echo "H_MEMBERS=(${MEMBERS[*]}) H_PG=(${PG_PORTS[*]}) H_API=(${API_PORTS[*]})"
  read -r t l r < <(profile_params "$2") && echo "ttl=$t lw=$l rt=$r"' _ "$BASELINE" "$profile")" \
  || die "cannot read $BASELINE/env.sh"
spec=""; for k in 0 1 2; do spec+="${spec:+,}${H_MEMBERS[$k]}:${H_PG[$k]}:${H_API[$k]}"; done
export BF_MEMBERS="$spec" BF_ETCD="$H_ETCD" BF_KEY="$H_KEY" BF_PASS="$H_PASS" PGPASSWORD="$H_PASS"
export BF_RW="$H_RW:$H_STATS:pg_write"
harness() { RESULTS="$HRES" WORK="$WORK" bash "$BASELINE/$1" "${@:2}"; }
idx() { local k; for k in 0 1 2; do [ "${H_MEMBERS[$k]}" = "$1" ] && echo $k; done; }

cleanup() {
  stop_helpers
  log "stopping the Patroni cluster"
  harness cluster.sh stop >> "$PROF_DIR/cluster.log" 2>&1 || log "cluster.sh stop failed"
}
trap cleanup EXIT
trap 'exit 130' INT TERM

log "$label: starting Patroni with the harness (ttl $ttl / loop_wait $lw / retry_timeout $rt)"
harness cluster.sh start "$profile" >> "$PROF_DIR/cluster.log" 2>&1 || die "cluster.sh start failed; see $PROF_DIR/cluster.log"
ETCDLOG="$PROF_DIR/etcd-events.log"
start_helper "$PY" "$BENCH_LIB/etcdwatch.py" "$H_ETCD" "$H_KEY" "$ETCDLOG"

analyse() {  # $1=run dir $2=scenario $3=trial
  local te; te=$(sed -n 's/^t_event=//p' "$1/meta")
  lines_between "$ETCDLOG" "$((te - 30000))" "$(now_ms)" > "$1/etcd-watch.log"
  "$PY" "$BENCH_LIB/metrics.py" "$1" --etcd "$1/etcd-watch.log" --writer harness=writer.log \
    --set system=patroni --set profile="$label" --set scenario="$2" --set trial="$3" \
    --set ttl="$ttl" --set loop_wait="$lw" --set retry_timeout="$rt" | tee -a "$RESULTS/results.jsonl" | \
    jq -c '{run, new_leader, key_gone_ms, new_key_ms, rejoin_ms, harness: .paths.harness | {first_ok_new_ms, write_gap_ms, unavailable_ms, max_ack_gap_ms, expiry_to_write_ms}}' >&2
}

harness_trial() {  # $1=failover|pgkill $2=trial
  local out run
  out=$(JITTER_S="$lw" harness scenario.sh "$1" --async 2>> "$PROF_DIR/scenario.log") || { log "scenario.sh $1 failed"; return 1; }
  run=$(echo "$out" | tail -1 | jq -r .run) || return 1
  analyse "$HRES/runs/$run" "$1" "$2"
}

handover_trial() {  # $1=trial: SIGTERM of the leader's Patroni
  local i="$1" leader li oldport run R pat pre t off t0 ts w
  leader=$(ctl wait-healthy 300) || { log "cluster not healthy before handover #$i"; return 1; }
  li=$(idx "$leader"); oldport=${H_PG[$li]}
  run="$label-handover-$i-$(date +%H%M%S)"; R="$RESULTS/runs/$run"; mkdir -p "$R"
  start_helper "$PY" "$WRITER" "$H_RW" "$run" 50 "$R/writer.log"; w=$LAST_PID
  pre=$(rand_pause 5 "$lw"); sleep "$pre"
  pat=$(cat "$WORK/pids/patroni-$leader.pid")
  { echo "system=patroni"; echo "run=$run"; echo "old_leader=$leader"; echo "old_port=$oldport"; echo "pre_event_sleep_s=$pre"; } > "$R/meta"
  t=$(now_ms); kill -TERM "$pat"; echo "t_event=$t" >> "$R/meta"
  log "$run: SIGTERM to Patroni $pat of $leader"
  ctl wait-ok "$R/writer.log" "$t" 180 --not-port "$oldport" > /dev/null || log "$run: no write on a new primary within 180 s"
  sleep 2
  stop_pid "$w" TERM
  awk '$3 == "OK" { print $4 }' "$R/writer.log" | sort > "$R/acked.harness"
  ctl sql "$H_RW" "select seq from bench where run = '$run'" | sort > "$R/present.harness"
  # wait for the old Patroni to exit (it stops PostgreSQL first), then start it again with the harness
  local k=0; while pid_alive "$pat" && [ $k -lt 600 ]; do sleep 0.1; k=$((k + 1)); done
  off=$(stat -c %s "$WORK/logs/patroni-$leader.log")
  t0=$(now_ms)
  (source "$BASELINE/env.sh"; source "$BASELINE/lib/common.sh"; start_patroni "$leader")
  if ts=$(ctl wait-streaming "$leader" 300); then echo "rejoin_ms=$((ts - t0))" >> "$R/meta"; echo "t_rejoined=$ts" >> "$R/meta"
  else echo "rejoin_ms=timeout" >> "$R/meta"; fi
  tail -c +"$((off + 1))" "$WORK/logs/patroni-$leader.log" > "$R/rejoin-$leader.log"
  if grep -qi "rewind" "$R/rejoin-$leader.log"; then echo "rejoin_rewind=yes" >> "$R/meta"; else echo "rejoin_rewind=no" >> "$R/meta"; fi
  analyse "$R" handover "$i"
}

failures=0
for scen in $scenarios; do
  for ((i = 1; i <= trials; i++)); do
    case "$scen" in
      failover|pgkill|switchover) harness_trial "$scen" "$i" ;;
      handover) handover_trial "$i" ;;
      *) die "unknown scenario $scen" ;;
    esac || { failures=$((failures + 1)); log "trial $scen #$i failed"; [ $failures -ge 3 ] && die "3 failed trials"; }
  done
done
rm -rf "$PROF_DIR/logs"; cp -r "$WORK/logs" "$PROF_DIR/logs"
log "$label: done ($failures failed trials); results in $RESULTS/results.jsonl"
