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
     * JVM flags for a small, steady footprint: one agent runs per PostgreSQL. Measured on this machine kind
     * (RSS after idling): the defaults of this list before tuning gave ~108 MiB, these give ~85 MiB; most of the
     * rest is classes (metaspace ~24 MiB, half of it the etcd client's gRPC/Netty/Vert.x stack) and the JVM's
     * own code. Serial GC (no GC threads) with a heap that starts at 8 MiB, a fixed 4 MiB young generation and
     * eager shrinking (the live set is ~8 MiB); C1 only with one compiler thread, compiling a method only
     * after 2000 calls (10x the default: the agent's hot paths still get compiled, the code run once at start
     * does not, -4 MiB); small stacks; capped metaspace, code cache and direct memory; unpooled Netty buffers
     * (no per-thread arenas).
     */
    public static final List<String> SMALL_FOOTPRINT_JVM_FLAGS = List.of(
            "-XX:+UseSerialGC",
            "-Xss256k",
            "-Xms8m",
            "-Xmx64m",
            "-Xmn4m",
            "-XX:MinHeapFreeRatio=10",
            "-XX:MaxHeapFreeRatio=30",
            "-XX:MaxMetaspaceSize=64m",
            "-XX:ReservedCodeCacheSize=16m",
            "-XX:TieredStopAtLevel=1",
            "-XX:CICompilerCount=1",
            "-XX:Tier3InvocationThreshold=2000",
            "-XX:Tier3MinInvocationThreshold=1000",
            "-XX:Tier3CompileThreshold=20000",
            "-XX:Tier3BackEdgeThreshold=600000",
            "-XX:MaxDirectMemorySize=16m",
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
