#!/usr/bin/env bash
# Builds pgha and starts a local HA cluster on this machine: 3 etcd members, 3 PostgreSQL members each with
# its pgha agent and PgBouncer, and HAProxy in front. Prints how to connect, check and stop it.
#
#   sudo bash scripts/run-local.sh                  installs what is missing, builds, starts the cluster
#   bash scripts/run-local.sh                       the same without the install step
#   PGHA_DIR=/var/tmp/c2 bash scripts/run-local.sh --members 5 --port-base 17000
#
# The cluster lives in $PGHA_DIR (default /var/tmp/pgha-local); running the script again on the same
# directory restarts that cluster with its data. Extra arguments go to `pgha local up` (see
# `java -jar target/pgha.jar local up --help`). Run as root, the cluster's processes run as the
# unprivileged system user `pgha`.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
dir="${PGHA_DIR:-/var/tmp/pgha-local}"
jar="$repo/target/pgha.jar"

say() { printf 'run-local: %s\n' "$*"; }

if [ "$(id -u)" -eq 0 ]; then
    say "installing what is missing (scripts/install-deps.sh)"
    bash scripts/install-deps.sh
else
    say "not root: skipping scripts/install-deps.sh (the packages it lists must already be installed)"
fi

command -v mvn >/dev/null 2>&1 || { say "mvn not found: run as root to install it, or install maven" >&2; exit 127; }
say "building target/pgha.jar (mvn -B -q package -DskipTests)"
mvn -B -q package -DskipTests

# `pgha local up` runs the agents from its own copy of the jar inside the cluster directory, so a
# private checkout is fine and rebuilding target/ later does not disturb a running cluster.
launch=(java -jar "$jar")

say "starting the cluster: java -jar target/pgha.jar local up --dir $dir $*"
rc=0
"${launch[@]}" local up --dir "$dir" "$@" || rc=$?
if [ "$rc" -ne 0 ]; then
    say "pgha local up failed (exit code $rc); it stops whatever it had started before giving up"
    exit "$rc"
fi
echo
echo "Status:  java -jar $jar local status --dir $dir"
echo "Stop:    java -jar $jar local down --dir $dir"
echo "         (the data stays in $dir; run this script again to start the same cluster)"
