package io.pgha.ctl;

import java.time.Duration;
import java.time.ZoneId;

/**
 * What every command works with: the DCS, members' REST APIs, the terminal, the local time zone (for
 * scheduled times without an offset) and how often to poll while waiting.
 */
public record CtlSession(ClusterStore store, PatroniApi api, Console console, ZoneId zone, Duration pollInterval) {}
