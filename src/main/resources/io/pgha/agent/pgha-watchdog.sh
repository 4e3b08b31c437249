#!/bin/bash
# pgha's external watchdog: a process apart from the agent that stops a primary PostgreSQL when the agent
# does not vouch for its leader lease in time, even if the whole agent JVM is frozen or gone.
#
# Usage: pgha-watchdog.sh LABEL [DEVICE]
# Reads commands on stdin, one per line, from the agent:
#   arm QUIT_AT KILL_AT PID   PostgreSQL (postmaster PID) may run as primary until QUIT_AT; at QUIT_AT it gets
#                             SIGQUIT (immediate shutdown), at KILL_AT it and its children get SIGKILL if alive.
#                             Both are absolute times in milliseconds of /proc/uptime (a monotonic clock both
#                             sides read), so the time a line spends in the pipe cannot move the deadline.
#   disarm                    nothing to guard (PostgreSQL is a standby or stopped)
#   exit                      the agent shuts down cleanly
# End of input while armed (the agent died): the last deadlines still stand; at them PostgreSQL is stopped.
# DEVICE, when given, is a Linux watchdog device kept alive only while a deadline is in the future, so a
# machine whose PostgreSQL cannot be stopped in time is reset by the hardware.
#
# Signals always come before log lines, and log lines are written by a background job: a stderr pipe that
# nobody drains can delay a log line, never a signal.
set -u
label=$1
device=${2:-}
quit_at=0    # 0 = disarmed
kill_at=0
pid=0
quit_sent=0
device_open=0

log() {
    local line
    printf -v line '%(%Y-%m-%dT%H:%M:%S)T pgha-watchdog %s %s\n' -1 "$label" "$*"
    { printf '%s' "$line" >&2; } &
}

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

# the postmaster's children, from /proc without forking (field 4 of stat is the parent pid)
children_of() {
    local f stat rest
    kids=()
    for f in /proc/[0-9]*/stat; do
        { read -r stat < "$f"; } 2>/dev/null || continue
        rest=${stat##*) }
        set -- $rest
        if [[ ${2:-} == "$pid" ]]; then
            f=${f#/proc/}
            kids+=("${f%/stat}")
        fi
    done
}

disarm() {
    quit_at=0; kill_at=0; quit_sent=0
    device_release
}

check_deadline() {
    (( quit_at > 0 )) || return 0
    now_ms
    if ! alive "$pid"; then
        disarm   # nothing left to stop; a new postmaster comes with a new arm line
        return 0
    fi
    if (( now >= kill_at )); then
        children_of
        kill -KILL "$pid" "${kids[@]}" 2>/dev/null
        log "postmaster $pid still alive at the kill deadline: SIGKILL to it and its ${#kids[@]} children"
        if ! alive "$pid"; then
            disarm
        fi
    elif (( now >= quit_at )); then
        if (( quit_sent == 0 )); then
            kill -QUIT "$pid" 2>/dev/null
            quit_sent=1
            log "agent did not renew its lease in time: SIGQUIT to PostgreSQL (postmaster $pid)"
        fi
    else
        device_keepalive
    fi
}

exec 5<> <(:)
log "started"
# "read -t" on the command pipe would be wrong: a timeout that fires while the line is being read (after a
# SIGSTOP of this script, or on a loaded machine) returns the first bytes as a timeout and the rest as another
# line. So: poll with "read -t 0" (input waiting, or end of input) and read a line only when one is there; the
# agent writes each line whole, in one write of a few bytes, which a pipe delivers at once.
while :; do
    if read -r -t 0 -u 0; then
        if ! read -r cmd a b c; then
            log "agent is gone (end of input)"
            break
        fi
        case $cmd in
            arm)
                if [[ $a =~ ^[0-9]+$ && $b =~ ^[0-9]+$ && $c =~ ^[0-9]+$ ]]; then
                    if [[ $c != "$pid" ]]; then quit_sent=0; fi
                    quit_at=$a; kill_at=$(( b > a ? b : a )); pid=$c
                    (( quit_at == 0 )) && quit_at=1   # an authority already over: due at once
                fi ;;
            disarm)
                disarm ;;
            exit)
                if (( quit_at > 0 )) && alive "$pid"; then
                    log "agent exits while PostgreSQL may still run as primary: keeping the deadline"
                    break
                fi
                device_release; log "stopped"; wait; exit 0 ;;
        esac
        check_deadline
        continue
    fi
    check_deadline
    pause
done
# the agent is gone: honour the last deadlines, then leave
while (( quit_at > 0 )); do
    check_deadline
    pause
done
device_release
log "stopped"
wait
