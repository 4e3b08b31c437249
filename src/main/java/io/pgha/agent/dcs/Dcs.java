package io.pgha.agent.dcs;

import com.fasterxml.jackson.databind.JsonNode;
import io.pgha.contract.Cluster;
import java.time.Duration;
import java.util.function.Consumer;

/**
 * The DCS as the agent uses it (docs/ha-protocol.md §1): one lease per agent carrying its member key and,
 * while it leads, the leader key; compare-and-set writes; a watch. {@link EtcdDcs} is the implementation.
 */
public interface Dcs extends LeaderLease, AutoCloseable {

    /** The whole cluster; never older than a view already returned. */
    Cluster read() throws DcsException;

    /** A live lease, granted if needed, renewed when its last renewal is older than {@code maxAge}. */
    void ensureLease(Duration maxAge) throws DcsException;

    /** From the HA thread between the steps of a cycle: a keep-alive once half the lease has gone. Never throws. */
    void keepLeaseFresh();

    /** members/&lt;me&gt; on our lease, skipped when unchanged. */
    void touchMember(JsonNode data) throws DcsException;

    /** The bootstrap race's end: the leader key, if nobody holds it. */
    boolean acquireLeader() throws DcsException;

    /** The failover race; {@code syncModRevision} ≥ 0 also requires the sync key to be as read (0: absent). */
    boolean acquireLeader(long syncModRevision) throws DcsException;

    /** Forced keep-alive and etcd's own word that the leader key is ours on our lease; false when lost. */
    boolean refreshLeader() throws DcsException;

    /** Deletes the leader key while it names us. */
    boolean releaseLeader() throws DcsException;

    void revokeLease() throws DcsException;

    boolean raceInitialize() throws DcsException;

    void deleteInitialize() throws DcsException;

    void put(String suffix, String value) throws DcsException;

    /** Put if {@code suffix}'s mod revision is {@code modRevision} (0: the key must not exist). */
    boolean putIfModRevision(String suffix, String value, long modRevision) throws DcsException;

    boolean deleteIfModRevision(String suffix, long modRevision) throws DcsException;

    /** {@code onChange} gets "&lt;suffix&gt; changed|deleted" for every change but members/*. */
    void watch(long fromRevision, Consumer<String> onChange, Runnable onError);

    /** ttl (a change grants a new lease) and retry_timeout. */
    void setTiming(int ttlSeconds, Duration timeout);

    /** Until when our lease (whatever it carries) certainly lives; 0 without one. */
    long leaseValidUntilNanos();

    @Override
    void close();
}
