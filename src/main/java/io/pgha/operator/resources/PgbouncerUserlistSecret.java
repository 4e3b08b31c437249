package io.pgha.operator.resources;

import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.pgha.config.PgbouncerConfigRenderer;
import io.pgha.operator.model.ClusterModel;
import java.util.Map;

/**
 * PgBouncer's auth_file. It needs plain-text passwords to log in to PostgreSQL with SCRAM on the client's
 * behalf, so it is built from the credential Secrets' current passwords and is itself a Secret.
 */
public final class PgbouncerUserlistSecret {

    public static final String USERLIST = "userlist.txt";

    private PgbouncerUserlistSecret() {}

    public static Secret build(ClusterModel m, Map<String, String> passwordsByUser) {
        return new SecretBuilder().withMetadata(Metadata.of(m, m.names().pgbouncerUserlist(), Labels.CREDENTIALS))
                // data, not stringData: the API server stores data, and the writer compares what it stored
                .addToData(USERLIST, java.util.Base64.getEncoder().encodeToString(new PgbouncerConfigRenderer()
                        .renderUserlist(passwordsByUser).getBytes(java.nio.charset.StandardCharsets.UTF_8)))
                .build();
    }
}
