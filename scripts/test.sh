#!/usr/bin/env bash
# The whole test suite: unit tests (surefire) and the *IT integration tests (failsafe), which start real
# etcd, PostgreSQL, PgBouncer and HAProxy processes on loopback through `pgha local`, then the Helm chart.
#
#   sudo bash scripts/test.sh          installs what is missing (scripts/install-deps.sh), then mvn -B verify
#   bash scripts/test.sh               the same without the install step (the packages must be there already)
#
# Extra arguments go to Maven, e.g. `bash scripts/test.sh -DskipITs` for unit tests only.
# Run as root, `pgha local` runs PostgreSQL and the agents as the unprivileged system user `pgha`, so the
# Maven JVM itself may run as root. Then checks the Helm chart and the rendered manifests
# (scripts/check-helm.sh). Exits non-zero if either fails.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"

say() { printf 'test: %s\n' "$*"; }

if [ "$(id -u)" -eq 0 ]; then
    say "installing what is missing (scripts/install-deps.sh)"
    bash scripts/install-deps.sh
else
    say "not root: skipping scripts/install-deps.sh (the packages it lists must already be installed)"
fi

command -v mvn >/dev/null 2>&1 || { say "mvn not found: run as root to install it, or install maven" >&2; exit 127; }
command -v java >/dev/null 2>&1 || { say "java not found: run as root to install it, or install openjdk-17-jdk-headless" >&2; exit 127; }

say "mvn -B verify $*"
mvn -B verify "$@"

# the Kubernetes packaging: helm lint --strict, helm template, and the rendered manifests (the chart,
# operator/install.yaml and what the operator renders, written by RenderedManifestsTest above) checked
# against Kubernetes' schemas, offline
say "scripts/check-helm.sh"
bash scripts/check-helm.sh

# pgha ctl against real Patroni 3.0.2 (the shared baseline harness next to this checkout; it needs root for
# its per-member OS users): the other half of the interoperability, Debian's patronictl against pgha being
# covered by PatronictlInteropIT
harness="${HARNESS:-$repo/../shared/bench/patroni-baseline}"
[ -f "$harness/env.sh" ] || harness=/work/shared/bench/patroni-baseline
if [ "$(id -u)" -eq 0 ] && [ -f "$harness/env.sh" ]; then
    say "scripts/ctl-interop.sh (pgha ctl against Patroni 3.0.2)"
    HARNESS="$(cd "$harness" && pwd)" bash scripts/ctl-interop.sh > target/ctl-interop.log 2>&1 \
        || { tail -30 target/ctl-interop.log; say "ctl-interop failed: see target/ctl-interop.log" >&2; exit 1; }
    grep -c '^PASS' target/ctl-interop.log | xargs -I{} echo "test: ctl-interop: {} checks passed"
else
    say "skipping scripts/ctl-interop.sh: needs root and the Patroni harness in $harness"
fi

# the short fault-injection run (issue 5): one fault each of kill-primary, kill-postgres, sigstop-agent and
# partition against a fresh pgha local cluster; fails on a lost acknowledged commit or two members accepting
# writes at the same time (needs root: kill, iptables, cgroups)
if [ "$(id -u)" -eq 0 ]; then
    say "scripts/chaos-short.sh (faults against a local cluster)"
    RESULTS="$repo/target/chaos-short" bash scripts/chaos-short.sh > target/chaos-short.log 2>&1 \
        || { tail -30 target/chaos-short.log; say "chaos-short failed: see target/chaos-short.log and target/chaos-short/" >&2; exit 1; }
    tail -12 target/chaos-short.log
else
    say "skipping scripts/chaos-short.sh: needs root"
fi
