package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class RestartRequestTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final long NOW = OffsetDateTime.parse("2026-11-28T10:00:00Z").toInstant().toEpochMilli();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void emptyBodyMeansRestartNowWithoutFilters() throws Exception {
        assertThat(RestartRequest.parse(json("{}"), NOW)).isEqualTo(new RestartRequest(null, null, null, null, false));
    }

    @Test
    void readsEveryField() throws Exception {
        RestartRequest r = RestartRequest.parse(json("{'schedule':'2026-11-28T11:00:00+00:00','role':'master',"
                + "'postgres_version':'15.9','timeout':'30s','restart_pending':true}"), NOW);
        assertThat(r).isEqualTo(new RestartRequest(NOW + 3_600_000, "primary", "15.9", 30, true));
    }

    @Test
    void unknownKeyIsRefusedByName() {
        assertThatThrownBy(() -> RestartRequest.parse(json("{'foo':1}"), NOW))
                .hasMessage("Unknown filter for the scheduled restart: foo");
    }

    @Test
    void badRoleVersionAndTimeoutAreRefusedWith400() {
        for (String bad : new String[] {"{'role':'leader'}", "{'postgres_version':'fifteen'}", "{'timeout':'soon'}"}) {
            assertThatThrownBy(() -> RestartRequest.parse(json(bad), NOW))
                    .isInstanceOfSatisfying(RestartRequest.Invalid.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }

    @Test
    void scheduleWithoutTimezoneOrInThePastIsRefused() {
        assertThatThrownBy(() -> RestartRequest.parse(json("{'schedule':'2026-11-28T11:00:00'}"), NOW))
                .hasMessage("Timezone information is mandatory for the scheduled restart");
        assertThatThrownBy(() -> RestartRequest.parse(json("{'schedule':'2026-11-28T09:00:00Z'}"), NOW))
                .isInstanceOfSatisfying(RestartRequest.Invalid.class, e -> assertThat(e.status()).isEqualTo(422));
        assertThatThrownBy(() -> RestartRequest.parse(json("{'schedule':'tomorrow'}"), NOW))
                .isInstanceOfSatisfying(RestartRequest.Invalid.class, e -> assertThat(e.status()).isEqualTo(400));
    }

    @Test
    void schedulesAreWrittenAsPatroniWritesThem() {
        assertThat(RestartRequest.Schedules.isoformat(NOW)).isEqualTo("2026-11-28T10:00:00+00:00");
        assertThat(RestartRequest.Schedules.isoformat(NOW + 1)).isEqualTo("2026-11-28T10:00:00.001000+00:00");
    }

    @Test
    void timeoutMayComeAsTextAsPatronictlSendsIt() throws Exception {
        assertThat(RestartRequest.parse(json("{'timeout':'60'}"), NOW).timeoutSeconds()).isEqualTo(60);
    }

    @Test
    void versionFilterComparesWithTheServerVersionNumber() throws Exception {
        RestartRequest r = RestartRequest.parse(json("{'postgres_version':'15.9'}"), NOW);
        assertThat(r.serverOlderThanRequested(150008)).isTrue();
        assertThat(r.serverOlderThanRequested(150009)).isFalse();
        assertThat(r.serverOlderThanRequested(160000)).isFalse();
    }
}
