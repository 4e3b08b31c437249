#!/usr/bin/python3
"""Cluster helper for the failover benchmarks (stdlib + psycopg2), for pgha and Patroni alike.

The cluster is described by environment variables (set by lib/common.sh):
  BF_MEMBERS   name:pgport:restport,...           the members
  BF_ETCD      host:port,...                      etcd client endpoints
  BF_KEY       /service/<scope>/leader            the leader key
  BF_PASS      superuser password
  BF_RW        port[:statsport:backend],...       HAProxy read-write ports to verify; with statsport and
                                                  backend name, also require that exactly the leader is UP

commands:
  leader                          the leader key's value ('' if none)
  wait-healthy TIMEOUT_S          one primary that holds the key, every other member streaming from it,
                                  every HAProxy rw port reaching it; prints the leader's name
  wait-streaming MEMBER TIMEOUT_S prints epoch ms when MEMBER streams from the current primary
  wait-ok LOG T_MS TIMEOUT_S [--not-port P]   first OK write sent at/after T_MS in a writer log; prints t_done
  wait-err LOG T_MS TIMEOUT_S     first failed write sent at/after T_MS; prints its t_send
  sql PORT QUERY                  run QUERY through PORT, print rows tab-separated
"""
import base64
import json
import os
import sys
import time
import urllib.error
import urllib.request

import psycopg2


def env_members():
    return [tuple(x.split(':')) for x in os.environ['BF_MEMBERS'].split(',')]


def now_ms():
    return int(time.time() * 1000)


def etcd_get(key, timeout=0.5):
    """Value of key ('' if absent) or None if no endpoint answered (etcd's JSON gateway, v3)."""
    body = json.dumps({'key': base64.b64encode(key.encode()).decode()}).encode()
    for ep in os.environ['BF_ETCD'].split(','):
        try:
            req = urllib.request.Request('http://%s/v3/kv/range' % ep, data=body,
                                         headers={'Content-Type': 'application/json'})
            with urllib.request.urlopen(req, timeout=timeout) as r:
                kvs = json.load(r).get('kvs') or []
            return base64.b64decode(kvs[0]['value']).decode() if kvs else ''
        except Exception:
            continue
    return None


def rest(port, path='/patroni', timeout=1.0):
    try:
        with urllib.request.urlopen('http://127.0.0.1:%s%s' % (port, path), timeout=timeout) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        try:
            return e.code, json.load(e)
        except Exception:
            return e.code, {}
    except Exception:
        return None, {}


def sql(port, query):
    c = psycopg2.connect(host='127.0.0.1', port=int(port), user='postgres', password=os.environ['BF_PASS'],
                         dbname='postgres', connect_timeout=2)
    try:
        c.autocommit = True
        cur = c.cursor()
        cur.execute(query)
        return cur.fetchall() if cur.description else []
    finally:
        c.close()


def haproxy_up(stats_port, backend):
    """Names of the servers HAProxy reports UP in backend (None if the stats page does not answer)."""
    try:
        with urllib.request.urlopen('http://127.0.0.1:%s/;csv' % stats_port, timeout=1) as r:
            lines = r.read().decode().splitlines()
    except Exception:
        return None
    hdr = lines[0].lstrip('# ').split(',')
    up = set()
    for line in lines[1:]:
        f = dict(zip(hdr, line.split(',')))
        if f.get('pxname') == backend and f.get('svname') not in ('FRONTEND', 'BACKEND') \
                and f.get('status', '').startswith('UP'):
            up.add(f['svname'])
    return up


def health():
    """(ok, leader, why)"""
    members = env_members()
    primaries, detail = [], {}
    for name, pgp, restp in members:
        code, d = rest(restp)
        detail[name] = '%s/%s/%s' % (code, d.get('role'), d.get('state'))
        if d.get('role') in ('master', 'primary') and d.get('state') == 'running':
            primaries.append((name, pgp, d))
    if len(primaries) != 1:
        return False, None, 'primaries: %s' % detail
    name, pgp, d = primaries[0]
    key = etcd_get(os.environ['BF_KEY'])
    if key != name:
        return False, name, 'leader key %r, primary %s' % (key, name)
    others = {m[0] for m in members if m[0] != name}
    streaming = {r.get('application_name') for r in d.get('replication', []) if r.get('state') == 'streaming'}
    if not others <= streaming:
        return False, name, 'not streaming: %s' % sorted(others - streaming)
    for spec in os.environ.get('BF_RW', '').split(','):
        if not spec:
            continue
        parts = spec.split(':')
        if len(parts) == 3:
            up = haproxy_up(parts[1], parts[2])
            if up != {name}:
                return False, name, 'HAProxy %s backend %s UP: %s' % (parts[1], parts[2], up)
        try:
            row = sql(parts[0], 'select inet_server_port(), pg_is_in_recovery()')[0]
        except Exception as e:
            return False, name, 'port %s: %s' % (parts[0], str(e).strip().splitlines()[:1])
        if row[0] != int(pgp) or row[1]:
            return False, name, 'port %s reaches %s' % (parts[0], row)
    return True, name, ''


def read_log(path):
    rows = []
    try:
        f = open(path)
    except OSError:
        return rows
    with f:
        for line in f:
            p = line.split(None, 4)
            if len(p) < 4 or not line.endswith('\n'):
                continue
            r = {'t0': int(p[0]), 't1': int(p[1]), 'ok': p[2] == 'OK', 'seq': int(p[3])}
            if r['ok'] and len(p) > 4:
                r['port'] = int(p[4])
            rows.append(r)
    return rows


def wait_log(path, t, timeout, want_ok, not_port=None):
    end = time.time() + timeout
    while time.time() < end:
        for r in read_log(path):
            if r['t0'] >= t and r['ok'] == want_ok and (not_port is None or r.get('port') != not_port):
                print(r['t1'] if want_ok else r['t0'])
                return 0
        time.sleep(0.1)
    return 1


def main():
    cmd, a = sys.argv[1], sys.argv[2:]
    if cmd == 'leader':
        print(etcd_get(os.environ['BF_KEY']) or '')
    elif cmd == 'wait-healthy':
        end, why = time.time() + float(a[0]), ''
        while time.time() < end:
            ok, name, why = health()
            if ok:
                print(name)
                return 0
            time.sleep(0.3)
        print('not healthy: ' + why, file=sys.stderr)
        return 1
    elif cmd == 'wait-streaming':
        member, end = a[0], time.time() + float(a[1])
        while time.time() < end:
            for name, pgp, restp in env_members():
                code, d = rest(restp)
                if d.get('role') in ('master', 'primary') and any(
                        r.get('application_name') == member and r.get('state') == 'streaming'
                        for r in d.get('replication', [])):
                    print(now_ms())
                    return 0
            time.sleep(0.1)
        return 1
    elif cmd in ('wait-ok', 'wait-err'):
        not_port = int(a[4]) if len(a) > 4 and a[3] == '--not-port' else None
        return wait_log(a[0], int(a[1]), float(a[2]), cmd == 'wait-ok', not_port)
    elif cmd == 'sql':
        for row in sql(a[0], a[1]):
            print('\t'.join(str(x) for x in row))
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == '__main__':
    sys.exit(main())
