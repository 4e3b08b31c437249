package io.pgha.api.v1;

/** Retain keeps the members' PVCs after the cluster is deleted (the safe default); Delete removes them. */
public enum PvcRetention {
    Retain, Delete
}
