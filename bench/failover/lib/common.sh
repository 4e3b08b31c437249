# Shared shell functions of the failover benchmarks. Source it; it sets no options.
BENCH_LIB="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BENCH_HOME="$(cd "$BENCH_LIB/.." && pwd)"
PY="${PY:-/usr/bin/python3}"                                   # Debian's python3: has psycopg2
BASELINE="${BASELINE:-/work/shared/bench/patroni-baseline}"    # the shared Patroni harness
WRITER="${WRITER:-$BASELINE/lib/writer.py}"                    # 50 ms INSERT loop: PORT RUN INTERVAL_MS OUT
RESULTS="${RESULTS:-/tmp/pgha-bench-failover}"                 # raw results, outside the repository
PGBIN="${PGBIN:-/usr/lib/postgresql/15/bin}"

log() { echo "[$(date +%T.%3N)] $*" >&2; }
die() { log "ERROR: $*"; exit 1; }
now_ms() { date +%s%3N; }
pid_alive() { [ -n "${1:-}" ] && kill -0 "$1" 2>/dev/null; }
ctl() { "$PY" "$BENCH_LIB/clusterctl.py" "$@"; }
rand_pause() { awk -v b="$1" -v j="$2" 'BEGIN { srand(); printf "%.3f", b + rand() * j }'; }

# stop_pid PID [SIGNAL]: signal one process we started, wait up to 10 s, then SIGKILL it
stop_pid() {
  local p="$1" s="${2:-TERM}" t=0
  pid_alive "$p" || return 0
  kill -"$s" "$p" 2>/dev/null
  while pid_alive "$p" && [ $t -lt 100 ]; do sleep 0.1; t=$((t + 1)); done
  pid_alive "$p" && kill -KILL "$p" 2>/dev/null
  return 0
}

# ports_free PORT...: fails (and names them) if any port has a listener
ports_free() {
  local p busy=""
  for p in "$@"; do ss -Hltn "sport = :$p" | grep -q . && busy+=" $p"; done
  [ -z "$busy" ] || { log "ports in use:$busy"; return 1; }
}

# Background helpers of one benchmark run, stopped by stop_helpers (by PID, never by name).
HELPER_PIDS=()
start_helper() { "$@" & LAST_PID=$!; HELPER_PIDS+=("$LAST_PID"); }   # sets LAST_PID
stop_helpers() { local p; for p in "${HELPER_PIDS[@]}"; do stop_pid "$p" TERM; done; HELPER_PIDS=(); }

# lines_between FILE T0 T1: the lines of an etcdwatch log stamped within [T0, T1]
lines_between() { awk -v a="$2" -v b="$3" '$1 >= a && $1 <= b' "$1"; }
