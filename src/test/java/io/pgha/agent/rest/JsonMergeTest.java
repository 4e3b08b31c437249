package io.pgha.agent.rest;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class JsonMergeTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    private static JsonNode json(String s) throws Exception {
        return JSON.readTree(s.replace('\'', '"'));
    }

    @Test
    void nestedObjectsMergeKeyByKey() throws Exception {
        JsonNode base = json("{'ttl':30,'postgresql':{'parameters':{'max_connections':100,'work_mem':'4MB'}}}");
        JsonNode merged = JsonMerge.merge(base, json("{'postgresql':{'parameters':{'work_mem':'8MB'}}}"));
        assertThat(merged).isEqualTo(json("{'ttl':30,'postgresql':{'parameters':{'max_connections':100,'work_mem':'8MB'}}}"));
    }

    @Test
    void nullDeletesAKey() throws Exception {
        JsonNode merged = JsonMerge.merge(json("{'ttl':30,'pause':true}"), json("{'pause':null}"));
        assertThat(merged).isEqualTo(json("{'ttl':30}"));
    }

    @Test
    void scalarsAndArraysReplace() throws Exception {
        JsonNode merged = JsonMerge.merge(json("{'a':[1,2],'b':{'c':1}}"), json("{'a':[3],'b':5}"));
        assertThat(merged).isEqualTo(json("{'a':[3],'b':5}"));
    }

    @Test
    void aNewObjectDoesNotCarryNullsIn() throws Exception {
        JsonNode merged = JsonMerge.merge(json("{}"), json("{'x':{'y':null,'z':1}}"));
        assertThat(merged).isEqualTo(json("{'x':{'z':1}}"));
    }

    @Test
    void theInputsAreLeftUnchanged() throws Exception {
        JsonNode base = json("{'a':{'b':1}}");
        JsonMerge.merge(base, json("{'a':{'b':2}}"));
        assertThat(base).isEqualTo(json("{'a':{'b':1}}"));
    }
}
