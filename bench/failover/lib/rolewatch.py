#!/usr/bin/python3
"""Logs every change of the members' roles (REST) and of HAProxy's view of them.

usage: rolewatch.py OUTFILE INTERVAL_MS [STATS_PORT BACKEND]
Every INTERVAL_MS: GET /patroni on each member of BF_MEMBERS (name:pgport:restport,...) and, if given, the
HAProxy stats CSV. Appends a line whenever something changes:
  <epoch_ms> ROLE <member> <role>/<state>      (role "-" when the agent did not answer within 1 s)
  <epoch_ms> HAPROXY <backend>/<server> <status>
  <epoch_ms> SLOW <member> <ms>                a REST answer that took longer than 500 ms
SIGTERM stops it.
"""
import json
import os
import signal
import sys
import time
import urllib.error
import urllib.request

out, interval = sys.argv[1], int(sys.argv[2]) / 1000.0
stats = sys.argv[3:5] if len(sys.argv) > 4 else None
members = [tuple(x.split(':')) for x in os.environ['BF_MEMBERS'].split(',')]
f = open(out, 'a', buffering=1)
signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
last = {}


def now_ms():
    return int(time.time() * 1000)


def note(key, value, line):
    if last.get(key) != value:
        last[key] = value
        f.write('%d %s\n' % (now_ms(), line))


while True:
    t0 = time.time()
    for name, _, port in members:
        s = time.time()
        try:
            with urllib.request.urlopen('http://127.0.0.1:%s/patroni' % port, timeout=1) as r:
                d = json.load(r)
        except urllib.error.HTTPError as e:
            try:
                d = json.load(e)
            except Exception:
                d = {}
        except Exception:
            d = {}
        took = int((time.time() - s) * 1000)
        if took > 500:
            f.write('%d SLOW %s %d\n' % (now_ms(), name, took))
        v = '%s/%s' % (d.get('role', '-'), d.get('state', '-'))
        note(('role', name), v, 'ROLE %s %s' % (name, v))
    if stats:
        try:
            with urllib.request.urlopen('http://127.0.0.1:%s/;csv' % stats[0], timeout=1) as r:
                lines = r.read().decode().splitlines()
            hdr = lines[0].lstrip('# ').split(',')
            for line in lines[1:]:
                x = dict(zip(hdr, line.split(',')))
                if x.get('pxname') == stats[1] and x.get('svname') not in ('FRONTEND', 'BACKEND'):
                    st = x.get('status') or '?'  # UP, DOWN, or a transition such as 'UP 1/2'
                    note(('ha', x['svname']), st, 'HAPROXY %s/%s %s' % (stats[1], x['svname'], st))
        except Exception:
            note(('ha', '*'), 'unreachable', 'HAPROXY stats unreachable')
    d = interval - (time.time() - t0)
    if d > 0:
        time.sleep(d)
