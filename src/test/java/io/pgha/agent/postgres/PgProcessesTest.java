package io.pgha.agent.postgres;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Real processes stand in for PostgreSQL's: bash plays the {@code postgres} binary (bin_dir/postgres is a link
 * to it), {@code exec -a} gives a process a child's title, and the working directory says which data
 * directory it belongs to. Each blocks reading the pipe the JVM holds, so none can outlive the test run.
 */
class PgProcessesTest {
    @TempDir
    Path tmp;
    private Path data;
    private Path otherData;
    private Path bin;
    private final List<Process> started = new ArrayList<>();

    @BeforeEach
    void dirs() throws IOException {
        data = Files.createDirectory(tmp.resolve("data"));
        otherData = Files.createDirectory(tmp.resolve("other"));
        bin = Files.createDirectory(tmp.resolve("bin"));
        Files.createSymbolicLink(bin.resolve("postgres"), Path.of("/bin/bash").toRealPath());
    }

    @AfterEach
    void stop() throws IOException {
        started.forEach(p -> p.descendants().forEach(ProcessHandle::destroyForcibly));
        started.forEach(Process::destroyForcibly);
        Files.delete(bin.resolve("postgres")); // a link out of the temp dir, which JUnit warns about
    }

    /** A child whose postmaster is gone: its parent is this JVM, which is no process of the data directory. */
    private long orphanIn(Path cwd, String title) throws IOException {
        return start(cwd, "exec -a '" + title + "' bash -c 'read x'").pid();
    }

    /** A postmaster (untitled) with one titled child of its own. */
    private Process postmasterIn(Path cwd) throws IOException {
        Process pm = start(cwd, "exec 3<&0; (exec -a 'postgres: demo/m1: walwriter ' bash -c 'read x' <&3) & read y");
        await().atMost(Duration.ofSeconds(5)).until(() -> pm.children().count() == 1);
        return pm;
    }

    private Process start(Path cwd, String script) throws IOException {
        Process p = new ProcessBuilder("bash", "-c", script).directory(cwd.toFile()).start();
        started.add(p);
        // exec -a has replaced bash's title once the process is a titled child (or has forked its child)
        await().atMost(Duration.ofSeconds(5)).until(() -> !procs(data).title(p.pid()).startsWith("bash -c exec -a"));
        return p;
    }

    private PgProcesses procs(Path dataDir) {
        return new PgProcesses(Path.of("/proc"), dataDir, bin.resolve("postgres"));
    }

    @Test
    void an_orphan_is_found_by_data_directory_title_and_parent() throws Exception {
        long orphan = orphanIn(data, "postgres: demo/m1: checkpointer ");
        long otherClusters = orphanIn(otherData, "postgres: demo/m1: checkpointer ");
        long untitled = start(data, "exec bash -c 'read x'").pid(); // a postmaster just starting, or postgres --single
        Process pm = postmasterIn(data);
        long liveChild = pm.children().findFirst().orElseThrow().pid();

        assertThat(procs(data).all()).contains(orphan, untitled, pm.pid(), liveChild).doesNotContain(otherClusters);
        assertThat(procs(data).orphans()).containsExactly(orphan);
        assertThat(procs(otherData).orphans()).containsExactly(otherClusters);
    }

    @Test
    void a_process_of_another_binary_is_never_ours() throws Exception {
        Process p = new ProcessBuilder("sh", "-c", "exec sleep 30").directory(data.toFile()).start();
        started.add(p);
        await().atMost(Duration.ofSeconds(5)).until(() -> procs(data).title(p.pid()).startsWith("sleep"));
        assertThat(procs(data).all()).doesNotContain(p.pid());
    }

    @Test
    void kill_orphans_kills_only_the_orphans_of_its_data_directory() throws Exception {
        long orphan = orphanIn(data, "postgres: demo/m1: checkpointer ");
        long otherClusters = orphanIn(otherData, "postgres: demo/m1: checkpointer ");
        Process pm = postmasterIn(data);
        long liveChild = pm.children().findFirst().orElseThrow().pid();
        Postgres pg = new Postgres(TestSettings.member(data, bin, "pw"));

        assertThat(pg.killOrphans(Duration.ofSeconds(2))).isEqualTo(1);

        assertThat(PgProcesses.alive(orphan)).isFalse();
        assertThat(PgProcesses.alive(otherClusters)).isTrue();
        assertThat(PgProcesses.alive(pm.pid())).isTrue();
        assertThat(PgProcesses.alive(liveChild)).isTrue();
    }

    @Test
    void kill_now_reaches_the_postmaster_and_every_child() throws Exception {
        Process pm = postmasterIn(data);
        long child = pm.children().findFirst().orElseThrow().pid();
        long orphan = orphanIn(data, "postgres: demo/m1: autovacuum launcher ");
        long otherClusters = orphanIn(otherData, "postgres: demo/m1: checkpointer ");
        Files.writeString(data.resolve("postmaster.pid"), pm.pid() + "\n" + data + "\n");
        Postgres pg = new Postgres(TestSettings.member(data, bin, "pw"));
        assertThat(pg.postmasterPid()).isEqualTo(pm.pid());

        pg.killNow();

        assertThat(List.of(pm.pid(), child, orphan)).noneMatch(PgProcesses::alive);
        assertThat(PgProcesses.alive(otherClusters)).isTrue();
        assertThat(pg.postmasterPid()).isEqualTo(-1);
    }
}
