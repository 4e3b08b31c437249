package io.pgha.local;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * How a member's agent is started: {@code java <jvm flags> -jar <pgha.jar> agent --config <patroni.yml>}.
 *
 * @param jar the pgha jar that is running {@code pgha local up}
 */
public record AgentLaunch(Path java, List<String> jvmFlags, Path jar) {

    /**
     * JVM flags for a small, steady footprint: the agent is one per PostgreSQL and must not outweigh
     * Patroni (~60 MiB RSS). Serial GC has no GC threads and the least overhead for a tiny heap; 48 MiB of
     * heap is ample for the agent's cluster view and REST API; small thread stacks, a capped metaspace and
     * code cache, and C1-only compilation (TieredStopAtLevel=1: quick warm-up, no C2 compiler threads or
     * code) keep the non-heap part down; Netty (used by the etcd client) gets a bounded direct-memory budget
     * and unpooled buffers, so it does not reserve pooled arenas per thread.
     */
    public static final List<String> SMALL_FOOTPRINT_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xss512k",
            "-Xmx48m",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:ReservedCodeCacheSize=24m",
            "-XX:TieredStopAtLevel=1",
            "-XX:MaxDirectMemorySize=32m",
            "-Dio.netty.allocator.type=unpooled");

    public AgentLaunch {
        jvmFlags = List.copyOf(jvmFlags);
    }

    List<String> command(Path agentConfig) {
        List<String> cmd = new ArrayList<>();
        cmd.add(java.toString());
        cmd.addAll(jvmFlags);
        cmd.addAll(List.of("-jar", jar.toString(), "agent", "--config", agentConfig.toString()));
        return cmd;
    }
}
