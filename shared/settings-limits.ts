/**
 * The ranges settings may take: one table for the settings validator (shared/settings.ts) and the
 * IPC validator (shared/ipc-validate.ts), so the two cannot drift apart. Inclusive bounds.
 */
export const SETTINGS_LIMITS = {
  /** Simultaneous transfers, and a site's own connection limit. */
  connections: { min: 1, max: 10 },
  /** NOOP interval; 0 turns it off. */
  keepaliveSeconds: { min: 0, max: 3600 },
  /** Connect, reply and data-idle timeouts. */
  timeoutSeconds: { min: 1, max: 3600 },
} as const;

/**
 * "Automatic" connections: as many as files are waiting, up to this many, and never more than
 * the server accepted. Small files over a link with latency are bound by round trips, not by
 * bandwidth, so each further connection adds about one connection's worth of speed.
 */
export const AUTO_CONNECTIONS = 8;

/**
 * How many connections a server gets: a fixed number within SETTINGS_LIMITS.connections, or
 * "auto" (as many as files are waiting, up to 8, never more than the server accepted).
 */
export type ConnectionLimit = number | 'auto';

export function isConnectionLimit(value: unknown): value is ConnectionLimit {
  const { min, max } = SETTINGS_LIMITS.connections;
  return (
    value === 'auto' ||
    (typeof value === 'number' && Number.isInteger(value) && value >= min && value <= max)
  );
}
