package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.Required;
import io.fabric8.generator.annotation.Size;
import java.util.List;

@JsonInclude(JsonInclude.Include.NON_NULL)
public class ExternalEtcdSpec {
    /** etcd v3 client endpoints, host:port each. */
    @Required
    @Size(min = 1)
    public List<String> endpoints;
    /** A Secret with ca.crt, tls.crt and tls.key for the client connection, if etcd uses TLS. */
    public String tlsSecret;
}
