package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class AccessCheckTest {

    private static RestRequest post(String authorization) {
        Map<String, List<String>> h = authorization == null ? Map.of() : Map.of("Authorization", List.of(authorization));
        return new RestRequest("POST", "/restart", Map.of(), h, new byte[0]);
    }

    private static String basic(String user, String pass) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + pass).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void withoutCredentialsOrAllowlistEverythingPasses() throws Exception {
        assertThat(new AccessCheck(null, null, List.of()).check(post(null), InetAddress.getByName("10.1.2.3"))).isNull();
    }

    @Test
    void missingOrWrongCredentialsGet401WithAChallenge() throws Exception {
        AccessCheck check = new AccessCheck("admin", "s3cret", List.of());
        InetAddress local = InetAddress.getLoopbackAddress();
        RestReply none = check.check(post(null), local);
        assertThat(none.status()).isEqualTo(401);
        assertThat(new String(none.body(), StandardCharsets.UTF_8)).isEqualTo("no auth header received");
        assertThat(none.headers()).containsEntry("WWW-Authenticate", "Basic realm=\"Patroni\"");
        assertThat(check.check(post(basic("admin", "guess")), local).status()).isEqualTo(401);
        assertThat(check.check(post(basic("admin", "s3cret")), local)).isNull();
    }

    @Test
    void allowlistAcceptsAddressesAndRangesAndRefusesOthersWith403() throws Exception {
        AccessCheck check = new AccessCheck(null, null, List.of("127.0.0.1", "10.0.0.0/8"));
        assertThat(check.check(post(null), InetAddress.getByName("127.0.0.1"))).isNull();
        assertThat(check.check(post(null), InetAddress.getByName("10.200.1.1"))).isNull();
        RestReply refused = check.check(post(null), InetAddress.getByName("192.168.1.1"));
        assertThat(refused.status()).isEqualTo(403);
        assertThat(new String(refused.body(), StandardCharsets.UTF_8)).isEqualTo("Access is denied");
    }
}
