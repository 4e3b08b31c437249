package io.pgha.local;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class BinariesTest {

    @TempDir
    Path tmp;

    /** A directory of stand-in executables (never run). */
    static Path fakePrograms(Path dir, List<String> names) throws IOException {
        Files.createDirectories(dir);
        for (String n : names) {
            Path p = dir.resolve(n);
            Files.writeString(p, "#!/bin/sh\nexit 0\n");
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        }
        return dir;
    }

    static Path fakePgBin(Path dir) throws IOException {
        return fakePrograms(dir, Binaries.POSTGRES_PROGRAMS);
    }

    static Path java() {
        return Path.of(System.getProperty("java.home"), "bin", "java");
    }

    @Test
    void every_program_is_found_on_the_path() throws Exception {
        Path bin = fakePrograms(tmp.resolve("bin"), List.of("etcd", "haproxy", "pgbouncer", "setsid", "setpriv", "useradd"));

        Binaries b = Binaries.find(List.of(bin), fakePgBin(tmp.resolve("pg")), java(), true);

        assertThat(b.etcd()).isEqualTo(bin.resolve("etcd"));
        assertThat(b.pgbouncer()).isEqualTo(bin.resolve("pgbouncer"));
        assertThat(b.setpriv()).isEqualTo(bin.resolve("setpriv"));
        assertThat(b.pgBinDir()).isEqualTo(tmp.resolve("pg"));
    }

    @Test
    void setpriv_and_useradd_are_needed_only_to_switch_user() throws Exception {
        Path bin = fakePrograms(tmp.resolve("bin"), List.of("etcd", "haproxy", "pgbouncer", "setsid"));

        Binaries b = Binaries.find(List.of(bin), fakePgBin(tmp.resolve("pg")), java(), false);

        assertThat(b.setpriv()).isNull();
        assertThat(b.useradd()).isNull();
    }

    @Test
    void a_missing_etcd_is_named_in_one_line_with_how_to_install_it() throws Exception {
        Path bin = fakePrograms(tmp.resolve("bin"), List.of("haproxy", "pgbouncer", "setsid"));
        Path pg = fakePgBin(tmp.resolve("pg"));

        LocalLayoutTest.assertBadInput(() -> Binaries.find(List.of(bin), pg, java(), false), "etcd not found");
    }

    @Test
    void a_missing_postgres_program_is_named() throws Exception {
        Path bin = fakePrograms(tmp.resolve("bin"), List.of("etcd", "haproxy", "pgbouncer", "setsid"));
        Path pg = fakePrograms(tmp.resolve("pg"), List.of("postgres", "initdb", "pg_ctl", "pg_basebackup"));

        LocalLayoutTest.assertBadInput(() -> Binaries.find(List.of(bin), pg, java(), false), "pg_rewind not found");
    }

    @Test
    void without_pg_config_and_without_a_bin_dir_the_user_is_told_what_to_do() throws Exception {
        Path bin = fakePrograms(tmp.resolve("bin"), List.of("etcd", "haproxy", "pgbouncer", "setsid"));
        assertThat(Binaries.which(Binaries.SBIN, "pg_config")).as("pg_config in sbin would spoil this test").isEmpty();

        LocalLayoutTest.assertBadInput(() -> Binaries.find(List.of(bin), null, java(), false), "pg_config not found");
    }

    @Test
    void a_non_executable_file_does_not_count() throws Exception {
        Path bin = fakePrograms(tmp.resolve("bin"), List.of("etcd", "haproxy", "pgbouncer", "setsid"));
        Files.setPosixFilePermissions(bin.resolve("haproxy"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(Binaries.which(List.of(bin), "haproxy")).isEmpty();
    }
}
