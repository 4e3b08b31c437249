#!/usr/bin/python3
"""Metrics of one benchmark trial, as one JSON line.

usage: metrics.py RUNDIR --etcd ETCDLOG [--writer LABEL=WRITERLOG]... [--set KEY=VALUE]...
RUNDIR/meta holds key=value lines; needed: t_event (epoch ms of the fault), old_leader, old_port
(PostgreSQL port of the old primary); optional: rejoin_ms, t_rejoined, rejoin_rewind, ... (copied).
A writer log has lines  <t_send_ms> <t_done_ms> OK <seq> <server_port>  or  <t_send_ms> <t_done_ms> ERR <seq> <msg>.
ETCDLOG has lines  <ms> PUT <value> | <ms> DEL | <ms> INIT <value> (lib/etcdwatch.py).
If RUNDIR/acked.LABEL and RUNDIR/present.LABEL exist (sequence numbers, one a line), lost = acked - present.

Per writer (key "paths" -> LABEL):
  first_ok_new_ms     fault -> first INSERT acknowledged by a PostgreSQL other than the old primary
  first_ok_ms         fault -> first INSERT acknowledged by any server (sent after the fault)
  write_gap_ms        last ack by the old primary -> first ack by a new one
  unavailable_ms      first failed INSERT after the fault -> first acknowledged one after it
  recovered_ms        fault -> that first acknowledged INSERT after the first failure
  max_ack_gap_ms      longest time between two consecutive acknowledged INSERTs, from the last ack before
                      the fault on (counts a stall too: a client queued in PgBouncer sees no error, only a wait)
  expiry_to_write_ms  old leader key deleted (lease expired or released) -> first ack by the new primary
  newkey_to_write_ms  new leader key written -> first ack by the new primary (HAProxy's share, mostly)
Cluster-wide:
  key_gone_ms         fault -> the old leader key deleted (DEL event)
  new_key_ms          fault -> a leader key naming another member
  leader_changes      leader key changes after the fault (DEL, or PUT of another name)
"""
import json
import os
import sys


def read_writer(path):
    rows = []
    if not os.path.exists(path):
        return rows
    for line in open(path):
        p = line.split(None, 4)
        if len(p) < 4 or not line.endswith('\n'):
            continue
        r = {'t0': int(p[0]), 't1': int(p[1]), 'ok': p[2] == 'OK', 'seq': int(p[3])}
        if r['ok'] and len(p) > 4:
            r['port'] = int(p[4].split()[0])
        rows.append(r)
    return rows


def read_etcd(path):
    ev = []
    if path and os.path.exists(path):
        for line in open(path):
            p = line.split(None, 2)
            if len(p) >= 2 and p[1] in ('PUT', 'DEL', 'INIT'):
                ev.append((int(p[0]), p[1], p[2].strip() if len(p) > 2 else ''))
    return ev


def writer_metrics(w, te, old_port, t_del, t_new):
    m = {}
    after = [r for r in w if r['ok'] and r['t0'] >= te]
    new = [r for r in after if r.get('port') != old_port]
    if after:
        m['first_ok_ms'] = after[0]['t1'] - te
    if new:
        f = new[0]
        m['first_ok_new_ms'] = f['t1'] - te
        m['new_port'] = f.get('port')
        old_ok = [r for r in w if r['ok'] and r.get('port') == old_port and r['t1'] <= f['t1']]
        m['write_gap_ms'] = f['t1'] - (old_ok[-1]['t1'] if old_ok else te)
        if t_del is not None:
            m['expiry_to_write_ms'] = f['t1'] - t_del
        if t_new is not None:
            m['newkey_to_write_ms'] = f['t1'] - t_new
    old_after = [r for r in w if r['ok'] and r.get('port') == old_port and r['t1'] > te]
    if old_after:
        m['last_ok_old_after_ms'] = old_after[-1]['t1'] - te
    err = next((r for r in w if not r['ok'] and r['t0'] >= te), None)
    if err:
        m['first_err_ms'] = err['t0'] - te
        rec = next((r for r in w if r['ok'] and r['t0'] >= err['t0']), None)
        if rec:
            m['unavailable_ms'] = rec['t1'] - err['t0']
            m['recovered_ms'] = rec['t1'] - te
    oks = [r['t1'] for r in w if r['ok']]
    before = [t for t in oks if t <= te]
    window = ([before[-1]] if before else [te]) + [t for t in oks if t > te]
    if len(window) > 1:
        m['max_ack_gap_ms'] = max(b - a for a, b in zip(window, window[1:]))
    m['errors'] = sum(1 for r in w if not r['ok'] and r['t0'] >= te)
    m['acked'] = sum(1 for r in w if r['ok'])
    return m


def lost(rundir, label):
    a, p = os.path.join(rundir, 'acked.' + label), os.path.join(rundir, 'present.' + label)
    if not (os.path.exists(a) and os.path.exists(p)):
        return None
    acked = {x.strip() for x in open(a) if x.strip()}
    present = {x.strip() for x in open(p) if x.strip()}
    return len(acked - present)


def main():
    rundir = sys.argv[1]
    args = sys.argv[2:]
    writers, extra, etcd = [], {}, None
    i = 0
    while i < len(args):
        if args[i] == '--writer':
            writers.append(args[i + 1].split('=', 1))
        elif args[i] == '--set':
            k, v = args[i + 1].split('=', 1)
            extra[k] = v
        elif args[i] == '--etcd':
            etcd = args[i + 1]
        i += 2
    meta = dict(l.rstrip('\n').split('=', 1) for l in open(os.path.join(rundir, 'meta')) if '=' in l)
    te = int(meta['t_event'])
    old = meta.get('old_leader')
    old_port = int(meta.get('old_port', 0))
    res = dict(meta)
    res.update(extra)
    res['rundir'] = rundir
    ev = [e for e in read_etcd(etcd) if e[0] >= te and e[1] != 'INIT']
    t_del = next((t for t, k, v in ev if k == 'DEL'), None)
    t_new, new_leader = next(((t, v) for t, k, v in ev if k == 'PUT' and v != old), (None, None))
    res['key_gone_ms'] = (t_del - te) if t_del is not None else None
    res['new_key_ms'] = (t_new - te) if t_new is not None else None
    res['new_leader'] = new_leader
    changes, cur = 0, old
    for t, k, v in ev:
        nv = None if k == 'DEL' else v
        if nv != cur:
            changes += 1
            cur = nv
    res['leader_changes'] = changes
    for k in ('rejoin_ms', 'agent_rejoin_ms', 'up_cmd_ms', 'pre_event_sleep_s'):
        if k in res and res[k] not in ('', 'timeout'):
            res[k] = float(res[k]) if '.' in res[k] else int(res[k])
    if 't_rejoined' in meta:
        res['rejoined_after_event_ms'] = int(meta['t_rejoined']) - te
    paths = {}
    for label, path in writers:
        m = writer_metrics(read_writer(os.path.join(rundir, path) if not os.path.isabs(path) else path),
                           te, old_port, t_del, t_new)
        lo = lost(rundir, label)
        if lo is None and len(writers) == 1 and str(meta.get('lost_acked', '')).isdigit():
            lo = int(meta['lost_acked'])  # the Patroni harness counted it itself
        if lo is not None:
            m['lost_acked'] = lo
        paths[label] = m
    res['paths'] = paths
    print(json.dumps(res, sort_keys=True))


if __name__ == '__main__':
    main()
