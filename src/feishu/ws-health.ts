/**
 * The health of the long connection (FEISHU_EVENT_MODE=websocket), as /healthz reports it.
 *
 * A socket counts as up only once a frame has arrived on it (the SDK pings as soon as the socket
 * opens, so a live server answers within a round trip): a server that accepts connections but
 * never answers is down, however often the client reconnects to it. The connection is reported
 * unhealthy (503) once it has been down for `unhealthyAfterMs`, so a process supervisor can
 * restart the service. Times are wall time: the server's timers run on it.
 */

export type LongConnectionState = 'connecting' | 'connected' | 'reconnecting' | 'failed' | 'stopped';

export interface LongConnectionStatus {
  state: LongConnectionState;
  /** when the current socket opened (ISO), while one is open */
  connectedSince?: string;
  /** the last event or callback received */
  lastEventAt?: string;
  /** the last frame of any kind received: a pong, an event */
  lastFrameAt?: string;
  /** attempts in the current outage (0 while connected; filled in by the client's owner) */
  reconnectAttempts: number;
  /** outages recovered from since the service started */
  reconnects: number;
  /** since when no frame-proven connection has existed (ISO), while down */
  downSince?: string;
  /** false once down for longer than the threshold: /healthz answers 503 */
  healthy: boolean;
}

export interface LongConnectionHealth {
  status(): LongConnectionStatus;
}

const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

export function createHealthTracker(o: { unhealthyAfterMs: number; now: () => number }) {
  let state: LongConnectionState = 'connecting';
  let openedAt: number | undefined;
  let lastEventAt: number | undefined;
  let lastFrameAt: number | undefined;
  /** a frame arrived on the socket that is open now */
  let proven = false;
  let downSince: number | undefined = o.now();
  let reconnects = 0;
  let everUp = false;

  const markDown = () => {
    downSince ??= o.now();
  };

  return {
    /** A socket opened; it is up once its first frame arrives. */
    opened() {
      openedAt = o.now();
      proven = false;
      state = everUp ? 'reconnecting' : 'connecting';
    },
    /** A frame arrived on the open socket. Returns true when it proved a connection that was down. */
    frame(kind: 'event' | 'control'): boolean {
      const now = o.now();
      lastFrameAt = now;
      if (kind === 'event') lastEventAt = now;
      if (openedAt === undefined || proven) return false;
      proven = true;
      state = 'connected';
      const recovered = everUp;
      everUp = true;
      if (recovered) reconnects += 1;
      downSince = undefined;
      return recovered;
    },
    /** The socket closed (or was found silent and is being dropped). */
    closed(next: 'reconnecting' | 'failed' | 'stopped' = 'reconnecting') {
      openedAt = undefined;
      proven = false;
      state = next;
      markDown();
    },
    /** Milliseconds since the open socket last proved itself (or opened), undefined when none is open. */
    silentForMs(): number | undefined {
      if (openedAt === undefined) return undefined;
      return o.now() - Math.max(openedAt, lastFrameAt ?? 0);
    },
    status(): LongConnectionStatus {
      const now = o.now();
      return {
        state,
        connectedSince: iso(openedAt),
        lastEventAt: iso(lastEventAt),
        lastFrameAt: iso(lastFrameAt),
        reconnectAttempts: 0,
        reconnects,
        downSince: iso(downSince),
        healthy: state !== 'stopped' && (downSince === undefined || now - downSince < o.unhealthyAfterMs),
      };
    },
  };
}

export type HealthTracker = ReturnType<typeof createHealthTracker>;
