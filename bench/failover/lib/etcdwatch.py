#!/usr/bin/python3
"""Timestamps every change of a leader key, as etcd reports it to a watch.

usage: etcdwatch.py ENDPOINTS KEY OUTFILE
Runs `etcdctl watch --prefix KEY -w json` and appends one line per event to OUTFILE:
  <epoch_ms> PUT <value>     the key was created or changed (a new leader, or a rewrite)
  <epoch_ms> DEL             the key was deleted: released by its holder, or its lease expired
  <epoch_ms> INIT <value|->  the value when the watch (re)started
The time is when the event reached this process (loopback: a millisecond or two after etcd applied it).
SIGTERM stops it.
"""
import base64
import json
import os
import signal
import subprocess
import sys
import time

endpoints, key, out = sys.argv[1], sys.argv[2], sys.argv[3]
env = dict(os.environ, ETCDCTL_API='3')
f = open(out, 'a', buffering=1)
proc = None


def now_ms():
    return int(time.time() * 1000)


def stop(*_):
    if proc and proc.poll() is None:
        proc.terminate()
    sys.exit(0)


signal.signal(signal.SIGTERM, stop)
signal.signal(signal.SIGINT, stop)
while True:
    proc = subprocess.Popen(['etcdctl', '--endpoints', endpoints, 'watch', '--prefix', key, '-w', 'json'],
                            stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, env=env, bufsize=0)
    try:  # the current value, read after the watch started so that no change falls in between
        g = subprocess.run(['etcdctl', '--endpoints', endpoints, 'get', key, '--print-value-only'],
                           capture_output=True, text=True, env=env, timeout=5)
        f.write('%d INIT %s\n' % (now_ms(), g.stdout.strip() or '-'))
    except Exception:
        f.write('%d INIT ?\n' % now_ms())
    for line in iter(proc.stdout.readline, b''):
        t = now_ms()
        try:
            resp = json.loads(line)
        except ValueError:
            continue
        for ev in resp.get('Events') or []:
            if ev.get('type') == 1:
                f.write('%d DEL\n' % t)
            else:
                v = base64.b64decode(ev['kv'].get('value', '')).decode()
                f.write('%d PUT %s\n' % (t, v))
    proc.wait()
    f.write('%d GAP watch ended (rc %s); restarting\n' % (now_ms(), proc.returncode))
    time.sleep(0.5)
