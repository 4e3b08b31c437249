package io.pgha.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import org.junit.jupiter.api.Test;

class ProvisioningSpecTest {

    @Test
    void readsWhatTheOperatorRenders() throws Exception {
        ProvisioningSpec s = ProvisioningSpec.parse("""
                databases:
                - name: app
                  owner: app_owner
                - name: shared
                  owner: postgres
                users:
                - name: app_owner
                  databases: [app, shared]
                  options: [CREATEDB, connection limit 20]
                  passwordSecret: demo-user-app-owner
                extensions: [pg_stat_statements, pgcrypto]
                """);
        assertThat(s.databases()).containsExactly(new ProvisioningSpec.Database("app", "app_owner"),
                new ProvisioningSpec.Database("shared", "postgres"));
        assertThat(s.users()).containsExactly(new ProvisioningSpec.User("app_owner", List.of("app", "shared"),
                List.of("CREATEDB", "CONNECTION LIMIT 20"), "demo-user-app-owner"));
        assertThat(s.extensions()).containsExactly("pg_stat_statements", "pgcrypto");
    }

    @Test
    void emptyListsAreFine() throws Exception {
        assertThat(ProvisioningSpec.parse("databases:\nusers:\nextensions: []\n").users()).isEmpty();
    }

    @Test
    void anythingThatWouldReachSqlUncheckedIsRefused() {
        assertThatThrownBy(() -> ProvisioningSpec.parse("users:\n- name: bob\n  options: [\"LOGIN; DROP TABLE x\"]\n"))
                .hasMessageContaining("not a role attribute");
        assertThatThrownBy(() -> ProvisioningSpec.parse("databases:\n- name: \"a\\\"; drop\"\n"))
                .hasMessageContaining("not a plain lower-case identifier");
        assertThatThrownBy(() -> ProvisioningSpec.parse("extensions: [\"x y\"]\n")).hasMessageContaining("extension name");
    }
}
