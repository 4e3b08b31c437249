#!/bin/bash
# Failover benchmark against a `pgha local` cluster. Run as root (pgha local then runs everything as
# user pgha). Starts a fresh cluster, runs N trials of each scenario, stops the cluster.
#
# usage: pgha.sh [--profile default|fast|slow] [--trials N] [--scenarios "failover handover pgkill switchover"]
#                [--port-base B] [--dir DIR] [--keep]
#   --profile   default = pgha's own timing  (ttl 6  / loop_wait 1  / retry_timeout 2)
#               fast    = the Patroni harness's "fast" profile (ttl 10 / loop_wait 2 / retry_timeout 4)
#               slow    = Patroni's defaults (ttl 30 / loop_wait 10 / retry_timeout 10)
#   --trials    trials per scenario (default 5)
#   --port-base pgha local's port base (default 40000; base+5/base+6 are this script's second HAProxy)
#   --dir       cluster directory (default /tmp/pgfb-<profile>; wiped first)
#   --keep      leave the cluster running at the end
#   --pgbouncer-login-retry S   an experiment: set PgBouncer's server_login_retry (default 15 s) to S in each
#               member's pgbouncer.ini and reload PgBouncer (SIGHUP) after start; the profile label gets
#               a "+retry<S>" suffix. pgha local renders pgbouncer.ini on every `up`, but PgBouncer is not
#               restarted in these trials, so the reloaded setting stays in force.
# Environment: RESULTS (default /tmp/pgha-bench-failover), PGHA_JAR (default: a copy of target/pgha.jar
# taken at start, so that a rebuild during the run does not change the agents' jar), BASELINE, WRITER.
#
# Scenarios (each preceded by 5 s of writes plus a random pause of 0..loop_wait s, so the fault falls
# at a random phase of the HA loop):
#   failover  kill -9 of the leader's agent, its postmaster and the postmaster's children together;
#             then `pgha local up --dir` starts the member again and we time its rejoin.
#   handover  SIGTERM of the leader's agent (it stops PostgreSQL and releases the key); rejoin as above.
#   pgkill    kill -9 of the leader's postmaster only; the agent restarts it.
#   switchover  Debian's patronictl 3.0.2 `switchover --leader L --candidate C --force` against the pgha
#             cluster (what the Patroni harness's own switchover scenario runs); the old leader rejoins
#             by itself and we time until it streams again.
# Two writers (an autocommit INSERT every 50 ms, the shared harness's writer.py) run during each trial:
#   "pgha"    through pgha local's own HAProxy read-write port (-> PgBouncer -> PostgreSQL), pgha's checks
#   "harness" through a second HAProxy started here with the Patroni harness's settings: GET /leader,
#             inter 1s fall 3 rise 2, retries 0, straight to PostgreSQL (no PgBouncer)
# Results: one JSON line per trial appended to $RESULTS/results.jsonl; logs under $RESULTS/runs/<run>/.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"

profile=default; trials=5; scenarios="failover handover pgkill"; base=40000; dir=""; keep=0; login_retry=""
while [ $# -gt 0 ]; do
  case "$1" in
    --profile) profile="$2"; shift 2 ;;
    --trials) trials="$2"; shift 2 ;;
    --scenarios) scenarios="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    --pgbouncer-login-retry) login_retry="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$profile" in
  default) ttl=6; lw=1; rt=2 ;;
  fast) ttl=10; lw=2; rt=4 ;;
  slow) ttl=30; lw=10; rt=10 ;;
  *) die "unknown profile $profile" ;;
esac
[ "$(id -u)" = 0 ] || die "run as root"
dir="${dir:-/tmp/pgfb-$profile}"
label="pgha-$profile${login_retry:++retry$login_retry}"
mkdir -p "$RESULTS/runs" "$RESULTS/$label"
PROF_DIR="$RESULTS/$label"

# the jar the agents run: a private copy, readable by the cluster's user
if [ -z "${PGHA_JAR:-}" ]; then
  src="$(cd "$BENCH_HOME/../.." && pwd)/target/pgha.jar"
  [ -f "$src" ] || die "$src missing: build it first"
  mkdir -p "$RESULTS/jar"; chmod 755 "$RESULTS" "$RESULTS/jar"
  PGHA_JAR="$RESULTS/jar/pgha.jar"; cp "$src" "$PGHA_JAR"; chmod 644 "$PGHA_JAR"
fi
pgha() { java -jar "$PGHA_JAR" "$@"; }

HX_RW=$((base + 5)); HX_STATS=$((base + 6))
all_ports=($base $((base + 1)) $((base + 2)) $HX_RW $HX_STATS)
for k in 1 2 3; do all_ports+=($((base + 10 + k)) $((base + 20 + k)) $((base + 100 + k)) $((base + 200 + k)) $((base + 300 + k))); done

cleanup() {
  stop_helpers
  [ -n "${HX_PID:-}" ] && stop_pid "$HX_PID" TERM
  if [ "$keep" = 0 ] && [ -f "$dir/cluster.json" ]; then
    log "stopping the cluster in $dir"
    pgha local down --dir "$dir" >> "$PROF_DIR/local.log" 2>&1 || log "local down failed; see $PROF_DIR/local.log"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

# ---- a fresh cluster ----------------------------------------------------------------------------
if [ -f "$dir/cluster.json" ]; then pgha local down --dir "$dir" >> "$PROF_DIR/local.log" 2>&1; fi
rm -rf "$dir"
ports_free "${all_ports[@]}" || die "choose another --port-base"
# ---- the second HAProxy, with the Patroni harness's check settings ---------------------------------
# Started before `local up` (its servers are simply down until the cluster is there) and retried: the
# ports lie in the kernel's ephemeral range, so an outgoing connection can hold one for a moment.
{
  echo "# written by bench/failover/pgha.sh: the Patroni baseline harness's HAProxy settings, for an"
  echo "# apples-to-apples comparison of the agents (no PgBouncer in the path)"
  echo "global"
  echo "    maxconn 500"
  echo "defaults"
  echo "    mode tcp"
  echo "    retries 0"
  echo "    timeout connect 2s"
  echo "    timeout check 2s"
  echo "    timeout client 30m"
  echo "    timeout server 30m"
  echo "listen stats"
  echo "    mode http"
  echo "    bind 127.0.0.1:$HX_STATS"
  echo "    stats enable"
  echo "    stats uri /"
  echo "listen rw"
  echo "    bind 127.0.0.1:$HX_RW"
  echo "    option httpchk GET /leader"
  echo "    http-check expect status 200"
  echo "    default-server inter 1s fall 3 rise 2 on-marked-down shutdown-sessions"
  for k in 1 2 3; do   # pgha local's layout: PostgreSQL base+100+k, REST API base+300+k
    echo "    server m$k 127.0.0.1:$((base + 100 + k)) maxconn 100 check port $((base + 300 + k))"
  done
} > "$PROF_DIR/harness-haproxy.cfg"
haproxy -c -q -f "$PROF_DIR/harness-haproxy.cfg" || die "bad $PROF_DIR/harness-haproxy.cfg"
for attempt in 1 2 3 4 5; do
  rm -f "$PROF_DIR/harness-haproxy.pid"
  haproxy -D -f "$PROF_DIR/harness-haproxy.cfg" -p "$PROF_DIR/harness-haproxy.pid" 2>> "$PROF_DIR/harness-haproxy.log" && break
  log "second HAProxy did not start (attempt $attempt; see $PROF_DIR/harness-haproxy.log)"; sleep 2
done
[ -s "$PROF_DIR/harness-haproxy.pid" ] || die "cannot start the second HAProxy"
HX_PID=$(head -1 "$PROF_DIR/harness-haproxy.pid")

log "$label: starting pgha local in $dir (ttl $ttl / loop_wait $lw / retry_timeout $rt, port base $base)"
pgha local up --dir "$dir" --port-base "$base" --ttl "$ttl" --loop-wait "$lw" --retry-timeout "$rt" \
  >> "$PROF_DIR/local.log" 2>&1 || die "local up failed; see $PROF_DIR/local.log"

CJ="$dir/cluster.json"
cj() { jq -r "$1" "$CJ"; }
mfield() { jq -r --arg n "$1" ".members[] | select(.name == \$n) | .$2" "$CJ"; }
RW=$(cj .haproxy.readWritePort); STATS=$(cj .haproxy.statsPort)
export BF_MEMBERS="$(cj '[.members[] | "\(.name):\(.postgresPort):\(.restPort)"] | join(",")')"
export BF_ETCD="$(cj '.etcd.endpoints | join(",")')"
export BF_KEY="$(cj .namespace)$(cj .scope)/leader"
export BF_PASS="$(cat "$(cj .superuser.passwordFile)")"
export PGPASSWORD="$BF_PASS"
export BF_RW="$RW:$STATS:primary,$HX_RW:$HX_STATS:rw"


if [ -n "$login_retry" ]; then
  for m in $(cj '.members[].name'); do
    f="$dir/$m/pgbouncer.ini"
    new=$(awk -v v="$login_retry" '/^server_login_retry/ { next } { print } /^\[pgbouncer\]/ { print "server_login_retry = " v }' "$f")
    printf '%s\n' "$new" > "$f"   # same file (owner and mode kept)
    kill -HUP "$(mfield "$m" pgbouncerPid)"
  done
  sleep 1
  for m in $(cj '.members[].name'); do
    v=$("$PY" -c 'import os,sys,psycopg2; c=psycopg2.connect(host="127.0.0.1",port=int(sys.argv[1]),user="postgres",password=os.environ["BF_PASS"],dbname="pgbouncer"); c.autocommit=True; cur=c.cursor(); cur.execute("show config"); print([r[1] for r in cur.fetchall() if r[0]=="server_login_retry"][0])' "$(mfield "$m" pgbouncerPort)")
    log "PgBouncer of $m: server_login_retry = $v"
  done
fi
leader=$(ctl wait-healthy 120) || die "cluster not healthy after start"
ctl sql "$RW" "CREATE TABLE IF NOT EXISTS bench(run text, seq int, ts timestamptz default clock_timestamp(), primary key(run, seq))"
ETCDLOG="$PROF_DIR/etcd-events.log"
start_helper "$PY" "$BENCH_LIB/etcdwatch.py" "$BF_ETCD" "$BF_KEY" "$ETCDLOG"; WATCH_PID=$LAST_PID
log "$label: cluster ready, leader $leader; writers on $RW (pgha HAProxy) and $HX_RW (harness-style HAProxy)"

stop_helper() {  # stop one helper and forget it
  local p="$1" q keep_=()
  stop_pid "$p" TERM
  for q in "${HELPER_PIDS[@]}"; do [ "$q" != "$p" ] && keep_+=("$q"); done
  HELPER_PIDS=("${keep_[@]}")
}

count_lost() {  # $1=run dir $2=label $3=writer run id
  awk '$3 == "OK" { print $4 }' "$1/writer-$2.log" | sort > "$1/acked.$2"
  ctl sql "$HX_RW" "select seq from bench where run = '$3'" | sort > "$1/present.$2"
}

rejoin() {  # $1=member $2=run dir: start it again with `local up` and time until it streams
  local m="$1" R="$2" off t0 ts up_pid rc
  off=$(stat -c %s "$dir/$m/agent.log" 2>/dev/null || echo 0)
  t0=$(now_ms)
  pgha local up --dir "$dir" > "$R/up.log" 2>&1 & up_pid=$!
  if ts=$(ctl wait-streaming "$m" 300); then
    echo "rejoin_ms=$((ts - t0))" >> "$R/meta"; echo "t_rejoined=$ts" >> "$R/meta"
  else
    echo "rejoin_ms=timeout" >> "$R/meta"; log "$m did not stream again within 300 s"
  fi
  wait "$up_pid"; rc=$?
  echo "up_cmd_ms=$(($(now_ms) - t0))" >> "$R/meta"; echo "up_rc=$rc" >> "$R/meta"
  # the agent's own share: from `local up` spawning it (its log line) to streaming
  local spawned; spawned=$(sed -n "s/^\([0-9T:.-]*Z\) .*started agent $m (pid.*/\1/p" "$R/up.log" | tail -1)
  if [ -n "$spawned" ] && [ -n "${ts:-}" ]; then echo "agent_rejoin_ms=$((ts - $(date -d "$spawned" +%s%3N)))" >> "$R/meta"; fi
  tail -c +"$((off + 1))" "$dir/$m/agent.log" > "$R/rejoin-agent-$m.log"
  if grep -q "running pg_rewind" "$R/rejoin-agent-$m.log"; then echo "rejoin_rewind=yes" >> "$R/meta"; else echo "rejoin_rewind=no" >> "$R/meta"; fi
  if grep -q "pg_basebackup" "$R/rejoin-agent-$m.log"; then echo "rejoin_reclone=yes" >> "$R/meta"; fi
  [ "$rc" = 0 ] || log "local up exited $rc; see $R/up.log"
}

failures=0
trial() {  # $1=scenario $2=trial number
  local scen="$1" i="$2" leader oldport ap pm kids run R pre t te t_start w
  leader=$(ctl wait-healthy 300) || { log "cluster not healthy before $scen #$i"; return 1; }
  oldport=$(mfield "$leader" postgresPort)
  ap=$(mfield "$leader" agentPid)
  run="$label-$scen-$i-$(date +%H%M%S)"; R="$RESULTS/runs/$run"; mkdir -p "$R"
  t_start=$(now_ms)
  start_helper "$PY" "$WRITER" "$RW" "$run-pgha" 50 "$R/writer-pgha.log"; local w1=$LAST_PID
  start_helper "$PY" "$WRITER" "$HX_RW" "$run-harness" 50 "$R/writer-harness.log"; local w2=$LAST_PID
  pre=$(rand_pause 5 "$lw")
  sleep "$pre"
  pm=$(head -1 "$dir/$leader/data/postmaster.pid")
  { echo "system=pgha"; echo "profile=$label"; echo "scenario=$scen"; echo "trial=$i"; echo "run=$run"
    echo "ttl=$ttl"; echo "loop_wait=$lw"; echo "retry_timeout=$rt"
    echo "old_leader=$leader"; echo "old_port=$oldport"; echo "pre_event_sleep_s=$pre"; } > "$R/meta"
  case "$scen" in
    failover)
      kids=$(ps -o pid= --ppid "$pm" | tr '\n' ' ')
      t=$(now_ms); kill -9 "$ap" "$pm" $kids
      log "$run: killed agent $ap, postmaster $pm and children of $leader"
      for w in pgha harness; do
        ctl wait-ok "$R/writer-$w.log" "$t" 180 --not-port "$oldport" > /dev/null || log "$run: no write on a new primary via $w within 180 s"
      done ;;
    handover)
      t=$(now_ms); kill -TERM "$ap"
      log "$run: SIGTERM to agent $ap of $leader"
      for w in pgha harness; do
        ctl wait-ok "$R/writer-$w.log" "$t" 180 --not-port "$oldport" > /dev/null || log "$run: no write on a new primary via $w within 180 s"
      done ;;
    switchover)
      local cand; cand=$(cj '.members[].name' | grep -vx "$leader" | head -1)
      echo "candidate=$cand" >> "$R/meta"
      t=$(now_ms)
      patronictl -c "$dir/patronictl.yaml" switchover --leader "$leader" --candidate "$cand" --force > "$R/switchover.out" 2>&1 \
        || log "$run: patronictl switchover failed: $(tail -1 "$R/switchover.out")"
      echo "switchover_cmd_ms=$(($(now_ms) - t))" >> "$R/meta"
      log "$run: switchover $leader -> $cand: $(tail -1 "$R/switchover.out")"
      for w in pgha harness; do
        ctl wait-ok "$R/writer-$w.log" "$t" 180 --not-port "$oldport" > /dev/null || log "$run: no write on a new primary via $w within 180 s"
      done ;;
    pgkill)
      t=$(now_ms); kill -9 "$pm"
      log "$run: killed postmaster $pm of $leader"
      for w in pgha harness; do
        te=$(ctl wait-err "$R/writer-$w.log" "$t" 20) || te=$t
        ctl wait-ok "$R/writer-$w.log" "$te" 180 > /dev/null || log "$run: no write via $w within 180 s"
      done ;;
  esac
  echo "t_event=$t" >> "$R/meta"
  sleep 2
  stop_helper "$w1"; stop_helper "$w2"
  count_lost "$R" pgha "$run-pgha"; count_lost "$R" harness "$run-harness"
  case "$scen" in
    failover|handover) rejoin "$leader" "$R" ;;
    switchover)
      if ts=$(ctl wait-streaming "$leader" 120); then echo "rejoin_ms=$((ts - t))" >> "$R/meta"; echo "t_rejoined=$ts" >> "$R/meta"
      else echo "rejoin_ms=timeout" >> "$R/meta"; log "$leader did not stream again within 120 s"; fi ;;
    pgkill) echo "leader_after=$(ctl leader)" >> "$R/meta" ;;
  esac
  sleep 0.5
  lines_between "$ETCDLOG" "$t_start" "$(now_ms)" > "$R/etcd.log"
  "$PY" "$BENCH_LIB/metrics.py" "$R" --etcd "$R/etcd.log" --writer pgha=writer-pgha.log \
    --writer harness=writer-harness.log | tee -a "$RESULTS/results.jsonl" | \
    jq -c '{run, new_leader, key_gone_ms, new_key_ms, rejoin_ms, pgha: .paths.pgha | {first_ok_new_ms, write_gap_ms, unavailable_ms, expiry_to_write_ms}, harness: .paths.harness | {first_ok_new_ms, write_gap_ms, unavailable_ms, expiry_to_write_ms}}' >&2
}

for scen in $scenarios; do
  for ((i = 1; i <= trials; i++)); do
    trial "$scen" "$i" || { failures=$((failures + 1)); log "trial $scen #$i failed"; [ $failures -ge 3 ] && die "3 failed trials: stopping (see $dir/m*/agent.log)"; }
  done
done
stop_helper "$WATCH_PID"
for m in m1 m2 m3; do cp "$dir/$m/agent.log" "$PROF_DIR/agent-$m.log" 2>/dev/null; done
log "$label: done ($failures failed trials); results in $RESULTS/results.jsonl"
