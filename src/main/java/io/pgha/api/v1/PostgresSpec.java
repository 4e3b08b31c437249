package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Max;
import io.fabric8.generator.annotation.Min;
import io.fabric8.generator.annotation.ValidationRule;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.util.List;
import java.util.Map;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class PostgresSpec {
    /** PostgreSQL major version. Upgrading needs a new cluster today; a downgrade is always refused. */
    @Min(13)
    @Max(18)
    @ValidationRule(value = "self >= oldSelf", message = "postgres.version cannot be downgraded")
    public Integer version;
    /** Container image holding the JRE, PostgreSQL, PgBouncer, HAProxy and pgha.jar. */
    public String image;
    /** postgresql.conf parameters, seeded into the cluster-wide dynamic configuration. */
    public Map<String, String> parameters;
    /** Extra pg_hba.conf lines, placed before pgha's own. */
    public List<String> pgHba;
    public ResourceRequirements resources;
}
