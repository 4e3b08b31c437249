package io.pgha.api.v1;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.fabric8.generator.annotation.ValidationRule;

/** Where the leader lease lives: an etcd the operator runs (the default) or one the user already has. */
@JsonInclude(JsonInclude.Include.NON_NULL)
@ValidationRule(value = "!(has(self.managed) && has(self.external))", message = "etcd: give either managed or external, not both")
@ValidationRule(value = "has(self.external) == has(oldSelf.external)", message = "etcd: the mode (managed or external) is immutable")
public class EtcdSpec {
    public ManagedEtcdSpec managed;
    public ExternalEtcdSpec external;
}
