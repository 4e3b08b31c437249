#!/usr/bin/python3
"""The chaos table for the shared Patroni harness's results, in the harness's own metrics.

usage: patroni_summary.py RESULTS.jsonl [SINCE_EPOCH_MS]

Recovery, as in pgha's harness "fault -> first write acknowledged after the outage", is per scenario:
  failover, partition: first_ok_new_primary_ms (first INSERT acknowledged by another server than the old primary)
  pgkill:              recovered_ms (first acknowledged INSERT after the first failed one), else first_ok_after_ms
Rejoin: rejoin_ms (the harness's process start -> streaming again); lost: lost_acked (+ lost_direct_acked, the
partition scenario's writes straight to the old primary).
"""
import json, statistics, sys

rows = [json.loads(l) for l in open(sys.argv[1]) if l.strip()]
since = int(sys.argv[2]) if len(sys.argv) > 2 else 0
rows = [r for r in rows if int(r.get('t_event', 0)) >= since]


def num(v):
    try:
        return float(v)
    except (TypeError, ValueError):
        return None


def recovery(r):
    if r['kind'] == 'pgkill':
        return num(r.get('recovered_ms')) if r.get('recovered_ms') is not None else num(r.get('first_ok_after_ms'))
    return num(r.get('first_ok_new_primary_ms'))


def s(v):
    return '–' if v is None else '%.2f' % (v / 1000.0)


print('| scenario (Patroni 3.0.2, %s) | n | lost acked (writer + direct) | write recovery s: median / max | rejoin s: median |'
      % ', '.join(sorted({'%s/%s' % (r.get('profile'), r.get('mode')) for r in rows})))
print('|---|---|---|---|---|')
for kind, label in (('failover', 'failover ~ kill-primary'), ('pgkill', 'pgkill ~ kill-postgres'),
                    ('partition', 'partition from etcd ~ partition')):
    rs = [r for r in rows if r.get('kind') == kind]
    if not rs:
        continue
    rec = sorted(v for v in (recovery(r) for r in rs) if v is not None)
    rej = sorted(v for v in (num(r.get('rejoin_ms')) for r in rs) if v is not None)
    lost = sum(int(r.get('lost_acked') or 0) for r in rs)
    direct = sum(int(r.get('lost_direct_acked') or 0) for r in rs)
    print('| %s | %d | %d (%d + %d) | %s / %s | %s |' % (label, len(rs), lost + direct, lost, direct,
          s(statistics.median(rec)) if rec else '–', s(rec[-1]) if rec else '–',
          s(statistics.median(rej)) if rej else '–'))
