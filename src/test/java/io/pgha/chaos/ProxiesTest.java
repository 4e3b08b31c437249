package io.pgha.chaos;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.pgha.config.DcsTiming;
import io.pgha.local.LocalLayout;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class ProxiesTest {

    private static final Path DIR = Path.of("/var/tmp/c");

    @Test
    void an_existing_cluster_whose_agents_reach_etcd_directly_has_no_place_for_a_slow_etcd() {
        LocalLayout direct = LocalLayout.fromPortBase(DIR, "s", 3, 16000, DcsTiming.PGHA_DEFAULT);

        assertThatThrownBy(() -> Proxies.etcd(direct, DIR, 16000, 470))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--etcd-port-offset");
        assertThatThrownBy(() -> Proxies.replication(direct, DIR, 3, 16000, 400, Duration.ofMillis(100)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("--pg-advertise-port-offset");
    }

    @Test
    void without_a_replication_delay_there_are_no_replication_proxies() {
        assertThat(Proxies.replication(null, DIR, 3, 16000, 400, Duration.ZERO)).isEmpty();
    }
}
