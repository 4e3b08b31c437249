package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentAttachTest {

    @Test
    void the_jar_is_the_argument_after_the_jvms_own_jar_option() {
        List<String> agent = List.of("/usr/lib/jvm/java-17/bin/java", "-XX:+UseSerialGC", "-Xss256k", "-jar",
                "/tmp/pgha-chaos/pgha.jar", "agent", "--config", "/var/tmp/c/m1/patroni.yml");

        assertThat(AgentAttach.jarOf(agent)).contains(Path.of("/tmp/pgha-chaos/pgha.jar"));
    }

    @Test
    void a_command_without_a_jar_has_none() {
        assertThat(AgentAttach.jarOf(List.of("java", "-cp", "x.jar", "io.pgha.cli.Main", "agent"))).isEmpty();
        assertThat(AgentAttach.jarOf(List.of("java", "-jar"))).isEmpty();
        assertThat(AgentAttach.jarOf(List.of("-jar", "x.jar"))).isEmpty();  // not a java command line
        assertThat(AgentAttach.jarOf(List.of())).isEmpty();
    }

    @Test
    void the_command_line_of_this_process_is_read_from_proc() {
        List<String> mine = AgentAttach.commandLine(ProcessHandle.current().pid());

        assertThat(mine.get(0)).endsWith("java");
    }
}
