#!/bin/bash
# No spurious failover under load: pgbench against a `pgha local` cluster for a while, recording every
# leader change. Run as root. PASS = the leader key never changed, every member kept its role, HAProxy
# never took the primary out of service, and no pgbench client aborted.
#
# usage: load.sh [--duration SECS] [--profile default|fast] [--clients 8] [--threads 2] [--scale 10]
#                [--via haproxy|leader] [--port-base B] [--dir DIR] [--keep]
#   --duration  pgbench -T (default 1800 = 30 minutes)
#   --via       haproxy (default): through HAProxy's read-write port (-> PgBouncer -> PostgreSQL);
#               leader: straight to the leader's PostgreSQL port
# Records (under $RESULTS/load-<start>/): pgbench output; the leader key's etcd events (lib/etcdwatch.py);
# each member's role and HAProxy's status of each server every 250 ms, and REST answers slower than
# 500 ms (lib/rolewatch.py); CPU and RSS of the agents over the run; a verdict line appended to
# $RESULTS/load.jsonl.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"

duration=1800; profile=default; clients=8; threads=2; scale=10; via=haproxy; base=40000; dir=""; keep=0
while [ $# -gt 0 ]; do
  case "$1" in
    --duration) duration="$2"; shift 2 ;;
    --profile) profile="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --scale) scale="$2"; shift 2 ;;
    --via) via="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    --keep) keep=1; shift ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
case "$profile" in
  default) ttl=6; lw=1; rt=2 ;;
  fast) ttl=10; lw=2; rt=4 ;;
  *) die "unknown profile $profile" ;;
esac
[ "$(id -u)" = 0 ] || die "run as root"
dir="${dir:-/tmp/pgfb-load}"
start=$(now_ms)
OUT="$RESULTS/load-$start"; mkdir -p "$OUT"; chmod 755 "$RESULTS"
if [ -z "${PGHA_JAR:-}" ]; then
  src="$(cd "$BENCH_HOME/../.." && pwd)/target/pgha.jar"; [ -f "$src" ] || die "$src missing"
  mkdir -p "$RESULTS/jar"; chmod 755 "$RESULTS/jar"; PGHA_JAR="$RESULTS/jar/pgha-load.jar"; cp "$src" "$PGHA_JAR"; chmod 644 "$PGHA_JAR"
fi
pgha() { java -jar "$PGHA_JAR" "$@"; }

cleanup() {
  stop_helpers
  [ -n "${BENCH_PID:-}" ] && stop_pid "$BENCH_PID" INT
  if [ "$keep" = 0 ] && [ -f "$dir/cluster.json" ]; then
    for m in m1 m2 m3; do cp "$dir/$m/agent.log" "$OUT/agent-$m.log" 2>/dev/null; done
    pgha local down --dir "$dir" >> "$OUT/local.log" 2>&1 || log "local down failed; see $OUT/local.log"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

if [ -f "$dir/cluster.json" ]; then pgha local down --dir "$dir" >> "$OUT/local.log" 2>&1; fi
rm -rf "$dir"
ports=($base $((base + 1)) $((base + 2))); for k in 1 2 3; do ports+=($((base + 10 + k)) $((base + 20 + k)) $((base + 100 + k)) $((base + 200 + k)) $((base + 300 + k))); done
ports_free "${ports[@]}" || die "choose another --port-base"
log "starting pgha local in $dir (ttl $ttl / loop_wait $lw / retry_timeout $rt)"
pgha local up --dir "$dir" --port-base "$base" --ttl "$ttl" --loop-wait "$lw" --retry-timeout "$rt" >> "$OUT/local.log" 2>&1 \
  || die "local up failed; see $OUT/local.log"
CJ="$dir/cluster.json"
cj() { jq -r "$1" "$CJ"; }
mfield() { jq -r --arg n "$1" ".members[] | select(.name == \$n) | .$2" "$CJ"; }
export BF_MEMBERS="$(cj '[.members[] | "\(.name):\(.postgresPort):\(.restPort)"] | join(",")')"
export BF_ETCD="$(cj '.etcd.endpoints | join(",")')"
export BF_KEY="$(cj .namespace)$(cj .scope)/leader"
export BF_PASS="$(cat "$(cj .superuser.passwordFile)")" PGPASSWORD="$(cat "$(cj .superuser.passwordFile)")"
RW=$(cj .haproxy.readWritePort); STATS=$(cj .haproxy.statsPort)
export BF_RW="$RW:$STATS:primary"
leader=$(ctl wait-healthy 120) || die "cluster not healthy"
port=$RW; [ "$via" = leader ] && port=$(mfield "$leader" postgresPort)
log "leader $leader; pgbench -i -s $scale through port $port"
"$PGBIN/pgbench" -h 127.0.0.1 -p "$port" -U postgres -i -s "$scale" -q postgres > "$OUT/pgbench-init.log" 2>&1 || die "pgbench -i failed; see $OUT/pgbench-init.log"

start_helper "$PY" "$BENCH_LIB/etcdwatch.py" "$BF_ETCD" "$BF_KEY" "$OUT/etcd-events.log"
start_helper "$PY" "$BENCH_LIB/rolewatch.py" "$OUT/roles.log" 250 "$STATS" primary
sleep 2
agents=(); for m in $(cj '.members[].name'); do agents+=("$(mfield "$m" agentPid)"); done
hz=$(getconf CLK_TCK)
ticks() { awk '{print $14 + $15}' "/proc/$1/stat" 2>/dev/null || echo 0; }
declare -A t0; for p in "${agents[@]}"; do t0[$p]=$(ticks "$p"); done
t_load=$(now_ms)
log "pgbench -c $clients -j $threads -T $duration through port $port ($via)"
"$PGBIN/pgbench" -h 127.0.0.1 -p "$port" -U postgres -c "$clients" -j "$threads" -T "$duration" -P 60 postgres \
  > "$OUT/pgbench.log" 2>&1 &
BENCH_PID=$!
# RSS (KiB) and open file descriptors of the agents every minute while the load runs
sample() { local p; for p in "${agents[@]}"; do echo "$(now_ms) $p $(awk '/^VmRSS/ {print $2}' /proc/$p/status 2>/dev/null) $(ls /proc/$p/fd 2>/dev/null | wc -l)"; done >> "$OUT/agent-rss-fds.log"; }
while pid_alive "$BENCH_PID"; do
  sample
  k=0; while [ $k -lt 60 ] && pid_alive "$BENCH_PID"; do sleep 1; k=$((k + 1)); done
done
wait "$BENCH_PID"; rc=$?; BENCH_PID=""
t_end=$(now_ms)
sample
# the agents' REST connections still open (JDK HttpServer objects) and heap, for the leak check
for p in "${agents[@]}"; do
  echo "== agent pid $p"
  setpriv --reuid="$(stat -c %U /proc/$p)" --regid="$(stat -c %G /proc/$p)" --init-groups jcmd "$p" GC.class_histogram 2>&1 | grep -E "HttpConnection$|HttpConnection |SocketChannelImpl |\[B " | head -5
  setpriv --reuid="$(stat -c %U /proc/$p)" --regid="$(stat -c %G /proc/$p)" --init-groups jcmd "$p" GC.heap_info 2>&1 | grep -E "tenured|Metaspace"
done > "$OUT/agent-heap.txt" 2>&1
growth=$(awk '{ if (!($2 in r0)) { r0[$2] = $3; f0[$2] = $4 } r1[$2] = $3; f1[$2] = $4 }
  END { for (p in r0) printf "%s%s:rss_kib %d->%d fds %d->%d", (n++ ? "; " : ""), p, r0[p], r1[p], f0[p], f1[p] }' "$OUT/agent-rss-fds.log")
sleep 1
secs=$(( (t_end - t_load) / 1000 ))
cpu=""; for p in "${agents[@]}"; do cpu+="${cpu:+,}$(awk -v d=$(( $(ticks "$p") - ${t0[$p]} )) -v hz=$hz -v s=$secs 'BEGIN {printf "%.2f", d / hz / s * 100}')"; done
stop_helpers

changes=$(awk -v a="$t_load" '$1 >= a && ($2 == "PUT" || $2 == "DEL")' "$OUT/etcd-events.log" | wc -l)
role_changes=$(awk -v a="$t_load" -v b="$t_end" '$1 >= a && $1 <= b && $2 == "ROLE"' "$OUT/roles.log" | wc -l)
ha_changes=$(awk -v a="$t_load" -v b="$t_end" '$1 >= a && $1 <= b && $2 == "HAPROXY"' "$OUT/roles.log" | wc -l)
slow=$(awk -v a="$t_load" -v b="$t_end" '$1 >= a && $1 <= b && $2 == "SLOW"' "$OUT/roles.log" | wc -l)
tps=$(sed -n 's/^tps = \([0-9.]*\).*/\1/p' "$OUT/pgbench.log" | tail -1)
tx=$(sed -n 's/^number of transactions actually processed: \([0-9]*\).*/\1/p' "$OUT/pgbench.log")
failed=$(sed -n 's/^number of failed transactions: \([0-9]*\).*/\1/p' "$OUT/pgbench.log")
aborted=$(grep -c "aborted\|client .* error" "$OUT/pgbench.log")
verdict=PASS
{ [ "$changes" = 0 ] && [ "$role_changes" = 0 ] && [ "$ha_changes" = 0 ] && [ "$rc" = 0 ] && [ "$aborted" = 0 ]; } || verdict=FAIL
printf '{"start_ms":%s,"profile":"%s","ttl":%s,"loop_wait":%s,"retry_timeout":%s,"via":"%s","clients":%s,"threads":%s,"scale":%s,"duration_s":%s,"pgbench_rc":%s,"tps":"%s","transactions":"%s","failed_tx":"%s","pgbench_error_lines":%s,"leader_key_changes":%s,"role_changes":%s,"haproxy_status_changes":%s,"slow_rest_answers":%s,"agent_cpu_pct":"%s","agent_growth":"%s","load_avg":"%s","verdict":"%s","dir":"%s"}\n' \
  "$start" "$profile" "$ttl" "$lw" "$rt" "$via" "$clients" "$threads" "$scale" "$secs" "$rc" "$tps" "$tx" "$failed" "$aborted" \
  "$changes" "$role_changes" "$ha_changes" "$slow" "$cpu" "$growth" "$(cut -d' ' -f1-3 /proc/loadavg)" "$verdict" "$OUT" | tee -a "$RESULTS/load.jsonl"
log "$verdict: $changes leader-key changes, $role_changes role changes, $ha_changes HAProxy status changes, $slow slow REST answers during ${secs}s of pgbench ($tps tps)"
[ "$verdict" = PASS ]
