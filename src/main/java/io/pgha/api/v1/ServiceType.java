package io.pgha.api.v1;

/** The Kubernetes Service types that make sense for HAProxy's Service. */
public enum ServiceType {
    ClusterIP, NodePort, LoadBalancer
}
