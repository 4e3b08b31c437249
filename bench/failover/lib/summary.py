#!/usr/bin/python3
"""Median (min-max) tables of the failover benchmarks, pgha next to Patroni, as markdown.

usage: summary.py RESULTS_DIR [--since EPOCH_MS]
Reads RESULTS_DIR/results.jsonl (lines from lib/metrics.py). Columns: every profile seen (pgha-default,
pgha-fast, patroni-fast, ...) and writer path ("pgha" = pgha local's own HAProxy and PgBouncer, "harness" =
HAProxy with the Patroni harness's settings straight to PostgreSQL), then the ratio pgha/Patroni of the
medians for each pgha profile that has a Patroni profile with the same ttl/loop_wait/retry_timeout
(compared on the harness path only: same HAProxy, same checks).
"""
import json
import os
import statistics
import sys
from collections import defaultdict

ROWS = {
    'failover': [
        ('path', 'first_ok_new_ms', 'kill -9 -> first INSERT acked by the new primary'),
        ('run', 'key_gone_ms', 'kill -9 -> old leader key expires (etcd DELETE)'),
        ('run', 'new_key_ms', 'kill -9 -> new leader key in etcd'),
        ('path', 'expiry_to_write_ms', 'old key expired -> first INSERT acked by the new primary'),
        ('path', 'newkey_to_write_ms', 'new key -> first INSERT acked by the new primary'),
        ('run', 'rejoin_ms', 'rejoin: pgha `local up` / Patroni process start -> streaming'),
        ('run', 'agent_rejoin_ms', 'rejoin: pgha agent process spawned -> streaming'),
        ('path', 'lost_acked', 'acknowledged INSERTs lost (sum)'),
    ],
    'handover': [
        ('path', 'first_ok_new_ms', 'SIGTERM -> first INSERT acked by the new primary'),
        ('path', 'write_gap_ms', 'write gap: last ack by old primary -> first ack by new'),
        ('run', 'key_gone_ms', 'SIGTERM -> leader key released'),
        ('run', 'new_key_ms', 'SIGTERM -> new leader key'),
        ('run', 'rejoin_ms', 'rejoin: pgha `local up` / Patroni process start -> streaming'),
        ('run', 'agent_rejoin_ms', 'rejoin: pgha agent process spawned -> streaming'),
        ('path', 'lost_acked', 'acknowledged INSERTs lost (sum)'),
    ],
    'switchover': [
        ('path', 'write_gap_ms', 'write gap: last ack by old primary -> first ack by new'),
        ('path', 'first_ok_new_ms', 'patronictl switchover started -> first INSERT acked by the new primary'),
        ('path', 'unavailable_ms', 'outage: first failed INSERT -> first acked one'),
        ('run', 'new_key_ms', 'patronictl switchover started -> new leader key'),
        ('run', 'rejoin_ms', 'switchover started -> old leader streaming again'),
        ('path', 'lost_acked', 'acknowledged INSERTs lost (sum)'),
    ],
    'pgkill': [
        ('path', 'unavailable_ms', 'outage: first failed INSERT -> first acked one'),
        ('path', 'max_ack_gap_ms', 'longest gap between acked INSERTs (includes stalls)'),
        ('run', 'leader_changes', 'leader key changes (sum; 0 = no failover)'),
        ('path', 'lost_acked', 'acknowledged INSERTs lost (sum)'),
    ],
}
SUMS = {'lost_acked', 'leader_changes'}


def load(d, since):
    rows = []
    for line in open(os.path.join(d, 'results.jsonl')):
        if line.strip():
            r = json.loads(line)
            if int(r.get('t_event', 0)) >= since:
                rows.append(r)
    return rows


def values(rows, kind, key, path):
    out = []
    for r in rows:
        v = r.get('paths', {}).get(path, {}).get(key) if kind == 'path' else r.get(key)
        if isinstance(v, (int, float)):
            out.append(float(v))
    return out


def cell(vals, key, nrows=0):
    if not vals and key == 'unavailable_ms' and nrows:
        return 'no INSERT failed'
    if not vals:
        return '–'
    if key in SUMS:
        return '%d' % sum(vals)
    s = lambda v: '%.2f' % (v / 1000.0)
    more = ' [%d of %d trials]' % (len(vals), nrows) if 0 < len(vals) < nrows else ''
    return '%s (%s–%s)%s' % (s(statistics.median(vals)), s(min(vals)), s(max(vals)), more)


def main():
    d = sys.argv[1]
    since = int(sys.argv[sys.argv.index('--since') + 1]) if '--since' in sys.argv else 0
    rows = load(d, since)
    by = defaultdict(list)
    timing = {}
    for r in rows:
        by[(r['profile'], r['scenario'])].append(r)
        timing[r['profile']] = (str(r.get('ttl')), str(r.get('loop_wait')), str(r.get('retry_timeout')))
    profiles = sorted(timing, key=lambda p: (p.startswith('patroni'), p))
    cols = []
    for p in profiles:
        for path in (['harness'] if p.startswith('patroni') else ['pgha', 'harness']):
            cols.append((p, path))
    ratios = []
    for p in profiles:
        if p.startswith('pgha'):
            for q in profiles:
                if q.startswith('patroni') and timing[q] == timing[p]:
                    ratios.append((p, q))
    print('Times in seconds: median (min–max); n = trials. Writer path "pgha": pgha local\'s HAProxy '
          '(its checks) -> PgBouncer -> PostgreSQL; "harness": HAProxy with the Patroni harness\'s checks '
          '(GET /leader, inter 1s, fall 3, rise 2, retries 0) straight to PostgreSQL.\n')
    print('| profile | ttl / loop_wait / retry_timeout |')
    print('|---|---|')
    for p in profiles:
        print('| %s | %s |' % (p, ' / '.join(timing[p])))
    for scen in ('failover', 'handover', 'pgkill', 'switchover'):
        if not any(s == scen for _, s in by):
            continue
        ns = ', '.join('%s n=%d' % (p, len(by[(p, scen)])) for p in profiles if by[(p, scen)])
        print('\n#### %s (%s)\n' % (scen, ns))
        hdr = ['metric'] + ['%s / %s' % c for c in cols] + ['ratio %s / %s (harness path)' % rq for rq in ratios]
        print('| ' + ' | '.join(hdr) + ' |')
        print('|' + '---|' * len(hdr))
        for kind, key, text in ROWS[scen]:
            line = ['%s (`%s`)' % (text, key)]
            anyv = False
            for p, path in cols:
                v = values(by[(p, scen)], kind, key, path)
                anyv |= bool(v)
                if kind == 'run' and path == 'harness' and not p.startswith('patroni'):
                    line.append('″' if v else '–')  # same value as the pgha-path column
                else:
                    line.append(cell(v, key, len(by[(p, scen)])))
            for p, q in ratios:
                a = values(by[(p, scen)], kind, key, 'harness')
                b = values(by[(q, scen)], kind, key, 'harness')
                if a and b and key not in SUMS and statistics.median(b) > 0:
                    line.append('%.2f' % (statistics.median(a) / statistics.median(b)))
                else:
                    line.append('–')
            if anyv:
                print('| ' + ' | '.join(line) + ' |')
        rw = defaultdict(list)
        for p in profiles:
            for r in by[(p, scen)]:
                if 'rejoin_rewind' in r:
                    rw[p].append(r['rejoin_rewind'])
        if rw:
            print('\npg_rewind on rejoin: ' + '; '.join('%s: %s' % (p, ','.join(v)) for p, v in rw.items()))


if __name__ == '__main__':
    main()
