package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ReplicationSpec {
    public ReplicationMode mode;
    /** How many standbys must confirm a commit in sync modes (Patroni's synchronous_node_count). */
    @Min(1)
    @Max(8)
    public Integer syncStandbys;
    /** A standby further behind than this many bytes is never promoted by a failover. */
    @Min(0)
    public Long maximumLagOnFailover;
}
