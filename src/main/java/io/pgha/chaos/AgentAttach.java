package io.pgha.chaos;

import com.sun.tools.attach.VirtualMachine;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/**
 * Loads {@link FenceThreadStopper} into a running agent's JVM with the JDK's attach API (module jdk.attach).
 * The harness runs as root, which HotSpot lets attach to a JVM of another user (the agents run as user pgha).
 * The jar loaded is the one the agent itself runs from (its {@code -jar} argument), so the class and the
 * {@code Agent-Class} entry of its manifest match the running agent's code.
 */
final class AgentAttach {

    private AgentAttach() {}

    /** What the stopper reported, from the agent JVM's system properties. */
    static String stopFenceThread(long pid) {
        Path jar = jarOf(commandLine(pid)).orElseThrow(() -> new IllegalStateException(
                "process " + pid + " was not started with java -jar: cannot load the chaos agent"));
        try {
            VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
            try {
                vm.loadAgent(jar.toString());
                String result = vm.getSystemProperties().getProperty(FenceThreadStopper.RESULT_PROPERTY);
                return result != null ? result : "the chaos agent left no result";
            } finally {
                vm.detach();
            }
        } catch (com.sun.tools.attach.AttachNotSupportedException | com.sun.tools.attach.AgentLoadException
                 | com.sun.tools.attach.AgentInitializationException | IOException e) {
            throw new IllegalStateException("cannot load the chaos agent into process " + pid + " from " + jar + ": " + e, e);
        }
    }

    /** The jar of {@code java [options] -jar JAR [args]}; empty when the command has none. Pure. */
    static Optional<Path> jarOf(List<String> commandLine) {
        int i = commandLine.indexOf("-jar");
        // options come before -jar; an argument "-jar" of the program itself would follow the jar
        return i < 1 || i + 1 >= commandLine.size() ? Optional.empty() : Optional.of(Path.of(commandLine.get(i + 1)));
    }

    /** /proc/PID/cmdline as a list (the arguments are NUL-separated). */
    static List<String> commandLine(long pid) {
        try {
            String raw = new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), StandardCharsets.UTF_8);
            return Arrays.asList(raw.split("\0"));
        } catch (IOException e) {
            throw new IllegalStateException("cannot read the command line of process " + pid + ": " + e.getMessage(), e);
        }
    }
}
