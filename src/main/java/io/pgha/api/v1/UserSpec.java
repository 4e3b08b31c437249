package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class UserSpec {
    /** Lower case so that it can also appear in a Secret's name. */
    @Required
    @Pattern("^[a-z_][a-z0-9_]{0,62}$")
    public String name;
    /** Databases the user may connect to (GRANT CONNECT, ALL on schema public). */
    public List<String> databases;
    /** Role options for CREATE ROLE, e.g. CREATEDB, NOLOGIN, CONNECTION LIMIT 10. */
    public List<String> options;

    public UserSpec() {}

    public UserSpec(String name, List<String> databases) {
        this.name = name;
        this.databases = databases;
    }
}
