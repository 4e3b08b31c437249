package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpResponse;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A field of the wrong type refuses the request with 400 naming the field, and nothing is asked of the agent
 * (issue 11: {"leader":"m2","candidate":{"a":1}} used to read as "no candidate" and really switch over).
 */
class StrictBodiesTest {
    private final WriteRoutesFixture routes = new WriteRoutesFixture();

    @AfterEach
    void stop() {
        routes.close();
    }

    @ParameterizedTest(name = "{0} /{1} {2}")
    @CsvSource(delimiter = '|', quoteCharacter = '`', value = {
        "POST|switchover|{'leader':'m1','candidate':{'a':1}}|candidate must be a string",
        "POST|switchover|{'leader':['m1'],'candidate':'m2'}|leader must be a string",
        "POST|switchover|{'leader':'m1','member':7}|member must be a string",
        "POST|switchover|{'leader':'m1','candidate':'m2','member':true}|member must be a string",
        "POST|switchover|{'leader':'m1','candidate':'m2','scheduled_at':1}|scheduled_at must be a string",
        "POST|failover|{'candidate':{'name':'m2'}}|candidate must be a string",
        "POST|restart|{'restart_pending':'yes'}|restart_pending must be a boolean",
        "POST|restart|{'role':1}|role must be a string",
        "POST|restart|{'postgres_version':15}|postgres_version must be a string",
        "POST|restart|{'schedule':{}}|schedule must be a string",
        "POST|restart|{'timeout':[30]}|timeout must be a number of seconds or a string such as \"30s\"",
        "POST|restart|{'postgres_version':'99999999999'}|PostgreSQL version should be in the first.major.minor format",
        "POST|restart|{'timeout':1e12}|Timeout should be a positive number of seconds",
        "POST|restart|{'timeout':'86401'}|Timeout should be at most 86400 seconds",
        "POST|reinitialize|{'force':'true'}|force must be a boolean",
        "POST|reinitialize|{'from_leader':1}|from_leader must be a boolean",
        "POST|reinitialize|[true]|Bad Request: a JSON object is expected",
        "POST|failsafe|{'name':{}}|name must be a string",
        "POST|failsafe|{'api_url':'http://x'}|name must be a non-empty string",
        "POST|failsafe|{'name':'m2','slots':[1]}|slots must be an object",
        "POST|failsafe|{'name':'m2','slots':{'m2':'0/3000'}}|slots.m2 must be an integer",
        "POST|switchover|{'leader':'m1','leader':'m2'}|Bad Request: the body is not valid JSON",
        "POST|switchover|{'leader':'m1'} {'candidate':'m2'}|Bad Request: the body is not valid JSON",
    })
    void aWrongTypeIsRefusedNamingTheFieldAndNothingIsDone(String method, String path, String body, String message) throws Exception {
        HttpResponse<String> r = routes.call(method, "/" + path, body.replace('\'', '"'));

        assertThat(r.statusCode()).isEqualTo(400);
        assertThat(r.body()).isEqualTo(message);
        assertThat(routes.agent.actions()).isEmpty();
    }

    @Test
    void theSameRequestsWithTheRightTypesAreCarriedOut() throws Exception {
        assertThat(routes.call("POST", "/restart", "{\"restart_pending\":true,\"role\":\"replica\",\"timeout\":30}").statusCode())
                .isEqualTo(200);
        assertThat(routes.call("POST", "/reinitialize", "{\"force\":true,\"from_leader\":false}").statusCode()).isEqualTo(200);
        assertThat(routes.call("POST", "/failsafe", "{\"name\":\"m2\",\"slots\":{\"m2\":50331648}}").statusCode()).isEqualTo(200);
        assertThat(routes.call("POST", "/reinitialize", (String) null).statusCode()).isEqualTo(200); // an optional body
        assertThat(routes.agent.actions()).containsExactly("restart", "reinitialize", "failsafe", "reinitialize");
    }

    @Test
    void failsafeOffAnswers502BeforeTheBodyIsLookedAtAsPatroniDoes() throws Exception {
        routes.agent.failsafeMode = false;

        HttpResponse<String> r = routes.call("POST", "/failsafe", "{}");

        assertThat(r.statusCode()).isEqualTo(502);
        assertThat(routes.agent.actions()).isEmpty();
    }

    @Test
    void aSwitchoverWithAStringCandidateWritesTheFailoverKey() throws Exception {
        HttpResponse<String> r = routes.call("POST", "/switchover", "{\"leader\":\"m1\",\"candidate\":\"m2\",\"unknown\":{\"x\":1}}");

        assertThat(r.body()).isEqualTo("Switchover failed"); // the fake leader refuses; what matters: it was asked
        assertThat(routes.agent.actions()).containsExactly("put failover");
    }
}
