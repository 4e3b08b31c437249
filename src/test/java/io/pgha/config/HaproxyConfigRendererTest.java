package io.pgha.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class HaproxyConfigRendererTest {

    static HaproxyConfig threeMembers() {
        return new HaproxyConfig("127.0.0.1", 16000, 16001, 16002, List.of(
                new HaproxyConfig.Server("m1", "127.0.0.1", 16201, 16301),
                new HaproxyConfig.Server("m2", "127.0.0.1", 16202, 16302),
                new HaproxyConfig.Server("m3", "127.0.0.1", 16203, 16303)));
    }

    private final HaproxyConfigRenderer renderer = new HaproxyConfigRenderer();

    @Test
    void three_members_render_as_the_golden_haproxy_cfg() {
        Golden.assertMatches("haproxy.cfg", renderer.render(threeMembers()));
    }

    @Test
    void read_write_traffic_goes_to_the_member_answering_primary_and_read_only_round_robin_to_replicas() {
        String cfg = renderer.render(threeMembers());
        String rw = cfg.substring(cfg.indexOf("listen primary"), cfg.indexOf("listen replicas"));
        String ro = cfg.substring(cfg.indexOf("listen replicas"));

        assertThat(rw).contains("bind 127.0.0.1:16000", "option httpchk GET /primary", "http-check expect status 200",
                "server m2 127.0.0.1:16202 check port 16302").doesNotContain("balance");
        assertThat(ro).contains("bind 127.0.0.1:16001", "balance roundrobin", "option httpchk GET /replica",
                "server m3 127.0.0.1:16203 check port 16303");
        assertThat(cfg).contains("bind 127.0.0.1:16002", "on-marked-down shutdown-sessions", "rise 1 fall 2");
    }

    @Test
    void haproxy_itself_accepts_the_rendered_file(@TempDir Path tmp) throws Exception {
        Path haproxy = List.of(Path.of("/usr/sbin/haproxy"), Path.of("/usr/bin/haproxy")).stream()
                .filter(Files::isExecutable).findFirst().orElse(null);
        assumeTrue(haproxy != null, "haproxy is not installed");
        Path cfg = Files.writeString(tmp.resolve("haproxy.cfg"), renderer.render(threeMembers()));

        Process p = new ProcessBuilder(haproxy.toString(), "-c", "-f", cfg.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();

        assertThat(p.exitValue()).as(out).isZero();
        assertThat(out).doesNotContain("WARNING");
    }

    @Test
    void a_cluster_without_members_is_refused() {
        assertThatThrownBy(() -> new HaproxyConfig("127.0.0.1", 1, 2, 3, List.of()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
