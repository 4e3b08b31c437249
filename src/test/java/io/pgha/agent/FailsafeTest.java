package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** A standby's side of failsafe mode: whom it promises not to race against, and for how long. */
class FailsafeTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final AtomicLong now = new AtomicLong(TimeUnit.SECONDS.toNanos(5_000));
    private final Failsafe failsafe = new Failsafe(null, null, null, null, "[test/m2] ", now::get);

    private static JsonNode body(String json) throws Exception {
        return JSON.readTree(json);
    }

    private void advanceSeconds(long s) {
        now.addAndGet(TimeUnit.SECONDS.toNanos(s));
    }

    @Test
    void aStartedAgentActsAsIfPromisedForTtlWithFailsafeModeOn() throws Exception {
        // its previous process may have answered a failsafe primary a moment ago (found by the simulation)
        DynamicConfig on = DynamicConfig.from(body("{\"failsafe_mode\":true,\"ttl\":6}"));
        DynamicConfig off = DynamicConfig.from(body("{\"ttl\":6}"));
        assertThat(failsafe.promiseInForce(on)).isEqualTo(Failsafe.UNKNOWN_PRIMARY);
        assertThat(failsafe.promiseInForce(off)).isNull();
        advanceSeconds(6);
        assertThat(failsafe.promiseInForce(on)).isNull();
        assertThat(failsafe.accept(body("{\"name\":\"m1\"}"), false, 6)).isNull();
        assertThat(failsafe.promiseInForce(off)).isEqualTo("m1");
    }

    @Test
    void thePromiseLastsThePrimarysTtlWhenItIsLongerThanOurs() throws Exception {
        // hole 9 of issue 11: the primary counts its authority by its own ttl (30 here) while ours says 6
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":30}"), false, 6)).isNull();
        advanceSeconds(29);
        assertThat(failsafe.rememberedLeader()).isEqualTo("m1");
        advanceSeconds(1);
        assertThat(failsafe.rememberedLeader()).isNull();
    }

    @Test
    void thePromiseLastsOurTtlWhenTheRequestNamesNoneOrAShorterOne() throws Exception {
        assertThat(failsafe.accept(body("{\"name\":\"m1\"}"), false, 6)).isNull();
        advanceSeconds(5);
        assertThat(failsafe.rememberedLeader()).isEqualTo("m1");
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":2}"), false, 6)).isNull();
        advanceSeconds(5);
        assertThat(failsafe.rememberedLeader()).as("6 s from the second request").isEqualTo("m1");
        advanceSeconds(1);
        assertThat(failsafe.rememberedLeader()).isNull();
    }

    @Test
    void aLaterShorterRequestNeverShortensAPromise() throws Exception {
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":60}"), false, 6)).isNull();
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":1}"), false, 6)).isNull();
        advanceSeconds(59);
        assertThat(failsafe.rememberedLeader()).isEqualTo("m1");
    }

    @Test
    void badRequestsAreRefusedAndPromiseNothing() throws Exception {
        assertThat(failsafe.accept(body("{\"name\":{\"a\":1}}"), false, 6)).contains("name");
        assertThat(failsafe.accept(body("{\"name\":\"\"}"), false, 6)).contains("name");
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":\"30\"}"), false, 6)).contains("ttl");
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":-1}"), false, 6)).contains("ttl");
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":99999999}"), false, 6)).contains("ttl");
        assertThat(failsafe.rememberedLeader()).isNull();
    }

    @Test
    void aRunningPrimaryPromisesNothing() throws Exception {
        assertThat(failsafe.accept(body("{\"name\":\"m1\",\"ttl\":30}"), true, 6)).isEqualTo("Running as a leader");
        assertThat(failsafe.rememberedLeader()).isNull();
    }
}
