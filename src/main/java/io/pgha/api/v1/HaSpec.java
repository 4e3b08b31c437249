package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;

/**
 * Leader-lease timing in seconds. The rule loopWait + 2·retryTimeout ≤ ttl keeps a leader that cannot
 * renew its lease from outliving it; the defaults in the rule (6, 1, 2) are pgha's.
 */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "(has(self.loopWait) ? self.loopWait : 1) + 2 * (has(self.retryTimeout) ? self.retryTimeout : 2)"
        + " <= (has(self.ttl) ? self.ttl : 6)", message = "ha: loopWait + 2 * retryTimeout must not exceed ttl")
public class HaSpec {
    @Min(2)
    @Max(3600)
    public Integer ttl;
    @Min(1)
    @Max(3600)
    public Integer loopWait;
    @Min(1)
    @Max(3600)
    public Integer retryTimeout;
}
