#!/bin/bash
# Idle soak: a `pgha local` cluster left alone for N minutes, sampling every minute each agent's RSS, open
# file descriptors and old-generation heap use (jcmd GC.heap_info), and logging role / HAProxy changes.
# Shows whether the agents' footprint is stable or grows with uptime. Run as root.
#
# usage: soak.sh [--minutes 60] [--port-base 40000] [--dir /tmp/pgfb-soak]
# Output: $RESULTS/soak-<start>/{samples.log,roles.log,agent-mK.log,data-mK.log}; stops early once
# every agent has exited.
set -uo pipefail
source "$(dirname "$0")/lib/common.sh"
minutes=60; base=40000; dir=/tmp/pgfb-soak
while [ $# -gt 0 ]; do
  case "$1" in
    --minutes) minutes="$2"; shift 2 ;;
    --port-base) base="$2"; shift 2 ;;
    --dir) dir="$2"; shift 2 ;;
    *) echo "unknown option $1" >&2; exit 2 ;;
  esac
done
[ "$(id -u)" = 0 ] || die "run as root"
OUT="$RESULTS/soak-$(now_ms)"; mkdir -p "$OUT"; chmod 755 "$RESULTS"
if [ -z "${PGHA_JAR:-}" ]; then
  src="$(cd "$BENCH_HOME/../.." && pwd)/target/pgha.jar"; [ -f "$src" ] || die "$src missing"
  mkdir -p "$RESULTS/jar"; chmod 755 "$RESULTS/jar"; PGHA_JAR="$RESULTS/jar/pgha-soak.jar"; cp "$src" "$PGHA_JAR"; chmod 644 "$PGHA_JAR"
fi
pgha() { java -jar "$PGHA_JAR" "$@"; }
cleanup() {
  stop_helpers
  if [ -f "$dir/cluster.json" ]; then
    for m in $(jq -r '.members[].name' "$dir/cluster.json"); do
      cp "$dir/$m/agent.log" "$OUT/agent-$m.log" 2>/dev/null; cp "$dir/$m/data.log" "$OUT/data-$m.log" 2>/dev/null
    done
    pgha local down --dir "$dir" >> "$OUT/local.log" 2>&1 || log "local down failed; see $OUT/local.log"
  fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

[ -f "$dir/cluster.json" ] && pgha local down --dir "$dir" >> "$OUT/local.log" 2>&1
rm -rf "$dir"
pgha local up --dir "$dir" --port-base "$base" >> "$OUT/local.log" 2>&1 || die "local up failed; see $OUT/local.log"
CJ="$dir/cluster.json"
export BF_MEMBERS="$(jq -r '[.members[] | "\(.name):\(.postgresPort):\(.restPort)"] | join(",")' "$CJ")"
start_helper "$PY" "$BENCH_LIB/rolewatch.py" "$OUT/roles.log" 250 "$(jq -r .haproxy.statsPort "$CJ")" primary
agents=$(jq -r '.members[] | "\(.name):\(.agentPid)"' "$CJ")
log "soaking for $minutes min; samples in $OUT/samples.log"
for ((i = 0; i <= minutes; i++)); do
  alive=0
  for a in $agents; do
    m=${a%%:*}; p=${a#*:}
    if kill -0 "$p" 2>/dev/null; then
      alive=$((alive + 1))
      old=$(setpriv --reuid="$(stat -c %U /proc/$p)" --regid="$(stat -c %G /proc/$p)" --init-groups timeout 20 \
            jcmd "$p" GC.heap_info 2>/dev/null | awk '/tenured generation/ {print $6}')
      echo "$(date +%T) min=$i $m pid=$p rss_kib=$(awk '/^VmRSS/ {print $2}' /proc/$p/status) fds=$(ls /proc/$p/fd | wc -l) old_gen_used=${old:-?}"
    else
      echo "$(date +%T) min=$i $m pid=$p EXITED"
    fi
  done >> "$OUT/samples.log"
  tail -n 3 "$OUT/samples.log" >&2
  [ "$alive" = 0 ] && { log "every agent has exited"; break; }
  [ "$i" -lt "$minutes" ] && sleep 60
done
grep -h "OutOfMemoryError\|shutting down" "$dir"/m*/agent.log 2>/dev/null | sort | uniq -c | head -20 >&2
log "done; $OUT"
