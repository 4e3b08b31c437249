package io.pgha.local;

import java.util.HashMap;
import java.util.Map;

/** The process ids of one local cluster's processes, by role and name; null = not known / not started. */
public final class Pids {

    private final Map<String, Long> etcd = new HashMap<>();
    private final Map<String, Long> agents = new HashMap<>();
    private final Map<String, Long> pgbouncers = new HashMap<>();
    private Long haproxy;

    public synchronized Long etcd(String name) {
        return etcd.get(name);
    }

    public synchronized Long agent(String member) {
        return agents.get(member);
    }

    public synchronized Long pgbouncer(String member) {
        return pgbouncers.get(member);
    }

    public synchronized Long haproxy() {
        return haproxy;
    }

    public synchronized void setEtcd(String name, Long pid) {
        etcd.put(name, pid);
    }

    public synchronized void setAgent(String member, Long pid) {
        agents.put(member, pid);
    }

    public synchronized void setPgbouncer(String member, Long pid) {
        pgbouncers.put(member, pid);
    }

    public synchronized void setHaproxy(Long pid) {
        haproxy = pid;
    }
}
