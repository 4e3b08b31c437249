#!/bin/bash
# pgha's external watchdog: a process apart from the agent that stops a primary PostgreSQL when the agent
# does not vouch for its leader lease in time, even if the whole agent JVM is frozen or gone.
#
# Usage: pgha-watchdog.sh LABEL [DEVICE]
# Reads commands on stdin, one per line, from the agent:
#   arm MILLIS PID   PostgreSQL (postmaster PID) may run as primary for MILLIS more milliseconds
#   disarm           nothing to guard (PostgreSQL is a standby or stopped)
#   exit             the agent shuts down cleanly
# End of input while armed (the agent died): the last deadline still stands; at it PostgreSQL is stopped.
# DEVICE, when given, is a Linux watchdog device kept alive only while a deadline is in the future, so a
# machine whose PostgreSQL cannot be stopped in time is reset by the hardware.
set -u
label=$1
device=${2:-}
deadline=0   # in milliseconds of /proc/uptime (monotonic across wall-clock changes); 0 = disarmed
pid=0
device_open=0

log() { printf '%s pgha-watchdog %s %s\n' "$(date -u +%Y-%m-%dT%H:%M:%S.%3NZ)" "$label" "$*" >&2; }

# sets $now; no command substitution, so the loop never forks
now_ms() {
    local up
    read -r up _ < /proc/uptime
    now=$(( ${up%.*} * 1000 + 10#${up#*.} * 10 ))
}

pause() { read -r -t 0.05 -u 5 _; }   # 50 ms, on a pipe nobody writes to

device_keepalive() {
    [[ -n $device ]] || return 0
    if (( device_open == 0 )); then
        if exec 4>"$device"; then
            device_open=1
            log "watchdog device $device opened"
        else
            log "cannot open watchdog device $device"
            device=""
            return 0
        fi
    fi
    printf '1' >&4 2>/dev/null || log "watchdog device $device: keepalive failed"
}

device_release() {
    if (( device_open == 1 )); then
        printf 'V' >&4 2>/dev/null   # magic close: the device stops counting
        exec 4>&-
        device_open=0
        log "watchdog device $device released"
    fi
}

# a live process: exists and is not a zombie (a postmaster that exited stays one until its parent, the agent,
# reaps it, and a frozen agent does not)
alive() {
    local stat
    { read -r stat < "/proc/$1/stat"; } 2>/dev/null || return 1
    stat=${stat##*) }
    [[ ${stat:0:1} != Z ]]
}

stop_postgres() {
    log "agent did not renew its lease in time: stopping PostgreSQL (postmaster $pid) immediately"
    kill -QUIT "$pid" 2>/dev/null
    local waited=0
    while alive "$pid" && (( waited < 20 )); do
        pause
        waited=$((waited + 1))
    done
    if alive "$pid"; then
        # a postmaster that does not end (frozen too) must not leave backends able to commit
        local children
        children=$(ps -o pid= --ppid "$pid" 2>/dev/null)
        log "postmaster $pid still there after SIGQUIT: SIGKILL to it and its children"
        kill -KILL "$pid" $children 2>/dev/null
    fi
    if ! alive "$pid"; then
        device_release
    fi
    deadline=0
}

check_deadline() {
    if (( deadline > 0 )); then
        now_ms
        if (( now >= deadline )); then
            if alive "$pid"; then
                stop_postgres
            else
                deadline=0
                device_release
            fi
        else
            device_keepalive
        fi
    fi
}

exec 5<> <(:)
log "started"
while :; do
    read -r -t 0.05 cmd a b
    status=$?
    if (( status == 0 )); then
        case $cmd in
            arm)
                if [[ $a =~ ^-?[0-9]+$ && $b =~ ^[0-9]+$ ]]; then
                    now_ms
                    deadline=$(( now + (a > 0 ? a : 0) )); pid=$b
                fi ;;
            disarm)
                deadline=0; device_release ;;
            exit)
                if (( deadline > 0 )) && alive "$pid"; then
                    log "agent exits while PostgreSQL may still run as primary: keeping the deadline"
                    break
                fi
                device_release; log "stopped"; exit 0 ;;
        esac
        check_deadline
        continue
    fi
    if (( status > 128 )); then   # timeout: no command in 50 ms
        check_deadline
        continue
    fi
    log "agent is gone (end of input)"
    break
done
# the agent is gone: honour the last deadline, then leave
while (( deadline > 0 )); do
    check_deadline
    pause
done
device_release
log "stopped"
