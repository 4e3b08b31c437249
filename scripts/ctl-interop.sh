#!/bin/bash
# pgha ctl against a cluster run by real Patroni 3.0.2 (the shared baseline harness): list, topology,
# history, show-config, version, switchover, failover, scheduled switchover + flush, restart (now and
# scheduled) + flush, reload, reinit --wait, pause/resume --wait, edit-config. Every step checks its effect
# through Debian's own patronictl or the DCS, so this shows pgha ctl is a drop-in for patronictl here.
#
# usage: scripts/ctl-interop.sh            (needs root, target/pgha.jar, and the harness below)
#   HARNESS=/work/shared/bench/patroni-baseline   PGHA_JAR=target/pgha.jar
# The harness uses fixed ports; the script refuses to run when its cluster is already up (someone
# else's), starts it with the fast profile and always stops it again on exit.
set -euo pipefail

HARNESS="${HARNESS:-/work/shared/bench/patroni-baseline}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
PGHA_JAR="${PGHA_JAR:-$ROOT/target/pgha.jar}"
JAVA="${JAVA:-java}"
source "$HARNESS/env.sh"   # WORK, SCOPE, NAMESPACE, ETCD_ENDPOINTS

[ -f "$PGHA_JAR" ] || { echo "missing $PGHA_JAR: run mvn package first" >&2; exit 2; }
command -v patronictl >/dev/null || { echo "patronictl (Debian package patroni) is not installed" >&2; exit 2; }
if ls "$WORK"/pids/*.pid >/dev/null 2>&1; then
  echo "the harness cluster in $WORK is already running (someone else's?); not touching it" >&2; exit 2
fi

TMP="$(mktemp -d /tmp/ctl-interop.XXXXXX)"
cleanup() { (cd "$HARNESS" && bash cluster.sh stop >/dev/null 2>&1) || true; rm -rf "$TMP"; }
trap cleanup EXIT

CFG="$TMP/ctl.yaml"
cat > "$CFG" <<YML
scope: $SCOPE
namespace: $NAMESPACE
etcd3:
  hosts: $ETCD_ENDPOINTS
YML

pgha() { "$JAVA" -jar "$PGHA_JAR" ctl -c "$CFG" "$@"; }
pctl() { patronictl -c "$CFG" "$@"; }
step() { echo; echo "=== $*"; }
pass() { echo "PASS: $*"; }
fail() { echo "FAIL: $*" >&2; exit 1; }
# field of the member table as patronictl sees it: role_of NAME -> Leader|Replica|...
role_of() { pctl list -f json | python3 -c "import json,sys; print(next((m['Role'] for m in json.load(sys.stdin) if m['Member']=='$1'), ''))"; }
leader() { pctl list -f json | python3 -c "import json,sys; print(next((m['Member'] for m in json.load(sys.stdin) if m['Role']=='Leader'), ''))"; }
all_running() { pctl list -f json | python3 -c "import json,sys; r=json.load(sys.stdin); sys.exit(0 if len(r)==3 and all(m['State']=='running' and m.get('Lag in MB')in(None,0) for m in r) else 1)"; }
wait_for() { local secs="$1"; shift; local end=$((SECONDS + secs)); until "$@"; do [ $SECONDS -lt $end ] || return 1; sleep 1; done; }
is_leader() { [ "$(leader)" = "$1" ]; }

step "start Patroni 3.0.2 (3 etcd, 3 Patroni, HAProxy; fast profile)"
(cd "$HARNESS" && bash cluster.sh start fast)
wait_for 60 all_running || fail "cluster not healthy"

step "list: same rows as patronictl"
wait_for 30 bash -c "diff <(patronictl -c '$CFG' list -f json) <('$JAVA' -jar '$PGHA_JAR' ctl -c '$CFG' list -f json)" \
  || fail "pgha ctl list -f json differs from patronictl"
pgha list
for f in pretty yaml tsv; do
  diff <(pctl list -f $f) <(pgha list -f $f) >/dev/null || fail "list -f $f differs"
done
diff <(pctl topology) <(pgha topology) >/dev/null || fail "topology differs"
diff <(pctl show-config) <(pgha show-config) >/dev/null || fail "show-config differs"
pgha version "$SCOPE"
pass "list (pretty, json, yaml, tsv), topology, show-config identical to patronictl; version"

L="$(leader)"; C="$(pctl list -f json | python3 -c "import json,sys; print(sorted(m['Member'] for m in json.load(sys.stdin) if m['Role']!='Leader')[0])")"
step "switchover $L -> $C"
pgha switchover --leader "$L" --candidate "$C" --force
wait_for 60 is_leader "$C" || fail "$C did not become leader"
wait_for 60 all_running || fail "cluster not healthy after switchover"
pgha history -f json | python3 -c "import json,sys; h=json.load(sys.stdin); sys.exit(0 if h and h[-1]['New Leader']=='$C' else 1)" \
  || fail "history has no row for $C"
diff <(pctl history) <(pgha history) >/dev/null || fail "history differs"
pass "switchover to $C; history identical to patronictl"

step "refusals"
if pgha switchover --leader "$L" --candidate "$C" --force 2>"$TMP/err"; then fail "switchover from a non-leader accepted"; fi
grep -q "is not the leader" "$TMP/err" || fail "unexpected message: $(cat "$TMP/err")"
if pgha switchover --candidate nosuch --force 2>"$TMP/err"; then fail "switchover to a non-member accepted"; fi
if pgha failover --force 2>"$TMP/err"; then fail "failover without candidate accepted"; fi
if pgha switchover --candidate "$L" --scheduled 2020-01-01T00:00+00:00 --force 2>"$TMP/err"; then fail "switchover in the past accepted"; fi
grep -q "422" "$TMP/err" || fail "past switchover: $(cat "$TMP/err")"
pass "non-leader, non-member, no candidate, past schedule refused with exit code 1"

step "failover back to $L"
pgha failover --candidate "$L" --force
wait_for 60 is_leader "$L" || fail "$L did not become leader"
wait_for 60 all_running || fail "cluster not healthy after failover"
pass "failover to $L"

step "scheduled switchover, then flush switchover"
pgha switchover --candidate "$C" --scheduled 2099-01-01T00:00+00:00 --force
pctl list | grep -q "Switchover scheduled at: 2099-01-01T00:00:00+00:00" || fail "no scheduled switchover shown by patronictl"
pgha flush "$SCOPE" switchover | grep -q "Success: scheduled switchover deleted" || fail "flush switchover"
pctl list | grep -q "Switchover scheduled" && fail "scheduled switchover still there"
pass "scheduled switchover visible to patronictl and flushed"

step "restart now, scheduled restart and flush restart, reload"
pgha restart "$SCOPE" "$C" --force | grep -q "Success: restart on member $C" || fail "restart"
pgha restart "$SCOPE" "$C" --force --scheduled 2099-01-01T00:00+00:00 --pg-version 99.1 | grep -q "restart scheduled" || fail "scheduled restart"
pctl list -e -f json | grep -q '"Scheduled restart": "2099-01-01T00:00:00+00:00 if version < 99.1"' || fail "scheduled restart not shown"
pgha flush "$SCOPE" "$C" restart --force | grep -q "Success: flush scheduled restart for member $C" || fail "flush restart"
pgha reload "$SCOPE" --force | grep -c "Reload request received" | grep -q 3 || fail "reload"
pass "restart, scheduled restart, flush restart, reload"

step "reinit --wait $C"
pgha reinit "$SCOPE" "$C" --force --wait | tee "$TMP/reinit" | tail -2
grep -q "Reinitialize is completed on: $C" "$TMP/reinit" || fail "reinit"
wait_for 60 all_running || fail "cluster not healthy after reinit"
pass "reinit --wait"

step "pause --wait / resume --wait"
pgha pause --wait | grep -q "Success: cluster management is paused" || fail "pause"
pctl list | grep -q "Maintenance mode: on" || fail "patronictl does not see the pause"
pgha resume --wait | grep -q "Success: cluster management is resumed" || fail "resume"
pctl show-config | grep -q pause && fail "pause still in config"
pass "pause and resume"

step "edit-config (CAS on the config key)"
# loop_wait 1, not 3: with the harness's ttl 10 and retry_timeout 4, 3 breaks loop_wait + 2 x retry_timeout <= ttl,
# which pgha ctl refuses (issue 11)
pgha edit-config -s loop_wait=1 -p work_mem=8MB --force
pctl show-config | grep -q "loop_wait: 1" || fail "loop_wait not changed"
pctl show-config | grep -q "work_mem: 8MB" || fail "work_mem not set"
pgha edit-config -s loop_wait=2 -p work_mem=null --force >/dev/null
pass "edit-config seen by patronictl"

echo; echo "ALL PASSED"
