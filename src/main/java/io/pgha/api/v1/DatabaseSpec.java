package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Pattern;
import io.fabric8.generator.annotation.Required;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class DatabaseSpec {
    /** A plain SQL identifier: the agent creates it without quoting games. */
    @Required
    @Pattern("^[a-z_][a-z0-9_]{0,62}$")
    public String name;
    /** A user from spec.users, or the superuser when absent. */
    @Pattern("^[a-z_][a-z0-9_]{0,62}$")
    public String owner;

    public DatabaseSpec() {}

    public DatabaseSpec(String name, String owner) {
        this.name = name;
        this.owner = owner;
    }
}
