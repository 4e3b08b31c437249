package io.pgha.agent.kube;

import java.nio.file.Path;

/**
 * Where the agent's own pod is and how to reach the Kubernetes API from inside it (the service account's
 * token and CA, mounted by Kubernetes). Built from the environment in cli/; absent outside Kubernetes.
 *
 * @param apiUrl  e.g. https://10.96.0.1:443 (KUBERNETES_SERVICE_HOST / _PORT)
 * @param caFile  the cluster CA; null to use the JVM's trust store (or for plain http in tests)
 */
public record PodIdentity(String apiUrl, String namespace, String podName, Path tokenFile, Path caFile) {

    public static final Path SERVICE_ACCOUNT = Path.of("/var/run/secrets/kubernetes.io/serviceaccount");
}
