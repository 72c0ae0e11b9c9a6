/**
 * The long connection (FEISHU_EVENT_MODE=websocket): the official SDK's WSClient, which opens an
 * outbound WebSocket to Feishu (endpoint from POST /callback/ws/endpoint, protobuf frames, pings,
 * reconnects), so a service inside a network with no public URL receives events and card
 * callbacks. Node only: the SDK's WSClient needs the `ws` package and a long-running process.
 *
 * Guards for problems reported against the SDK's long connection:
 * - Half-dead connections (NAT or proxy dropping the flow without FIN/RST) were never detected:
 *   the SDK's own watchdog is off unless `wsConfig.pingTimeout` is set
 *   (larksuite/openclaw-lark#543, #599; oapi-sdk-go#224). It is set here, and a watchdog of ours
 *   drops a client on which no frame arrived for a ping interval plus that timeout.
 * - After the last reconnect attempt (`ReconnectCount` from the server) or a refused endpoint call
 *   the SDK calls onError and stops for good while the process stays up: a fresh client is
 *   started after a backoff, and /healthz turns 503 in the meantime.
 * - Timers leaking across reconnects (larksuite/node-sdk#177: external reConnect() calls stacked
 *   reconnect loops): we never call reConnect(); a restart closes the client (which clears its
 *   timers) and builds a new one. Tests count the process's timers across reconnects.
 *
 * Logs one line per connect, disconnect and reconnect; nothing per ping (the SDK's own logs go
 * to debug).
 */
import type { EventDispatcher, WSClient } from '@larksuiteoapi/node-sdk';
import { describeError, type Logger } from '../logger.js';
import { createHealthTracker, type LongConnectionHealth, type LongConnectionStatus } from '../feishu/ws-health.js';

export interface LongConnectionTuning {
  /**
   * Seconds the SDK waits for any frame after each ping before it drops the socket and
   * reconnects (its `wsConfig.pingTimeout`). Feishu pings every 120 s by default; a lost pong
   * on a slightly lossy network should not cost a reconnect, hence not a few seconds.
   */
  pingTimeoutSeconds: number;
  /** how long the WebSocket handshake may take before the attempt counts as failed */
  handshakeTimeoutMs: number;
  /** after the SDK gives up, the first fresh client starts after this long (doubling, at most 5 minutes) */
  restartDelayMs: number;
  /** how often the watchdog looks at the connection */
  checkEveryMs: number;
  /**
   * Slack on top of the ping interval and the ping timeout before our watchdog drops a socket
   * no frame arrived on: the SDK's own watchdog should have dropped it by then.
   */
  silenceGraceMs: number;
}

export const DEFAULT_LONG_CONNECTION_TUNING: LongConnectionTuning = {
  pingTimeoutSeconds: 30,
  handshakeTimeoutMs: 15_000,
  restartDelayMs: 10_000,
  checkEveryMs: 1_000,
  silenceGraceMs: 5_000,
};

const MAX_RESTART_DELAY_MS = 5 * 60_000;
/** Feishu's default ping interval (ClientConfig.PingInterval), when the SDK's own value cannot be read */
const DEFAULT_PING_INTERVAL_MS = 120_000;

export interface LongConnectionOptions extends Partial<LongConnectionTuning> {
  appId: string;
  appSecret: string;
  /** the Open API origin; the endpoint call goes to `${baseUrl}/callback/ws/endpoint` */
  baseUrl: string;
  log: Logger;
  unhealthyAfterMs: number;
  /** receives each event or callback; its answer goes back in the response frame */
  deliver(payload: unknown): Promise<Record<string, unknown>>;
  now?: () => number;
}

export interface LongConnection extends LongConnectionHealth {
  /** Stops the client and its timers; no event is received after this resolves. */
  close(): Promise<void>;
}

/**
 * What the SDK keeps private but the watchdog needs: the open socket (to see every frame,
 * pongs included, which no public hook reports) and the ping interval the server dictated.
 * Read defensively: if a later SDK moves them, health falls back to the SDK's own state.
 */
interface SdkInternals {
  wsConfig?: {
    getWSInstance?: () => { on(event: 'message' | 'close', listener: () => void): unknown } | null;
    getWS?: (key: 'pingInterval') => unknown;
  };
}

export async function startLongConnection(o: LongConnectionOptions): Promise<LongConnection> {
  const tuning = { ...DEFAULT_LONG_CONNECTION_TUNING, ...o };
  const now = o.now ?? Date.now;
  const log = o.log;
  const health = createHealthTracker({ unhealthyAfterMs: o.unhealthyAfterMs, now });
  // Loaded here, not at the top: the SDK is large, and webhook mode never needs the WSClient.
  const lark = await import('@larksuiteoapi/node-sdk');

  let everOpened = false;
  let warnedBeforeOpen = false;
  // The SDK's logger receives each call's arguments as one array ('[ws]', 'message').
  const text = (m: unknown) => (Array.isArray(m) ? m.map(String).join(' ') : String(m)).slice(0, 300);
  const sdkLog = {
    error: (m: unknown) => {
      const detail = text(m);
      // Until the first connect, say once why it is not there yet (wrong network, proxy, secret);
      // after that, attempts are summed up by the connect, disconnect and reconnect lines.
      if (!everOpened && !warnedBeforeOpen) {
        warnedBeforeOpen = true;
        log.warn('feishu long connection not established yet, retrying', { detail });
      } else log.debug('feishu long connection sdk', { detail });
    },
    warn: (m: unknown) => log.debug('feishu long connection sdk', { detail: text(m) }),
    info: () => {},
    debug: () => {},
    trace: () => {},
  };
  let client: WSClient | undefined;
  let generation = 0;
  let stopped = false;
  let socketWatched = false;
  /** fresh clients started in the current outage (the SDK counts its own attempts per client) */
  let restartsInOutage = 0;
  let restartAt: number | undefined;
  let restartDelay = tuning.restartDelayMs;
  let lostAt: number | undefined;

  /** Any frame proves the connection; the first after an outage ends it. */
  function frame(kind: 'event' | 'control') {
    if (!health.frame(kind)) return;
    log.info('feishu long connection reconnected', { downMs: lostAt === undefined ? undefined : now() - lostAt });
    lostAt = undefined;
    restartsInOutage = 0;
  }

  // The SDK hands every event frame to `invoke`; the EventDispatcher class would flatten the
  // envelope first, while the door parses it as the webhook does.
  const dispatcher = {
    invoke: async (payload: unknown) => {
      frame('event');
      return o.deliver(payload);
    },
  } as unknown as EventDispatcher;

  const internals = (c: WSClient) => (c as unknown as SdkInternals).wsConfig;

  function pingIntervalMs(c: WSClient): number {
    const v = internals(c)?.getWS?.('pingInterval');
    return typeof v === 'number' && v > 0 ? v : DEFAULT_PING_INTERVAL_MS;
  }

  /** A socket opened (first connect or reconnect): watch its frames and its end. */
  function opened(c: WSClient, gen: number) {
    if (gen !== generation) return;
    health.opened();
    restartDelay = tuning.restartDelayMs;
    if (!everOpened) log.info('feishu long connection open', { baseUrl: o.baseUrl });
    everOpened = true;
    const socket = internals(c)?.getWSInstance?.();
    socketWatched = Boolean(socket);
    if (socket) {
      socket.on('message', () => gen === generation && frame('control'));
      socket.on('close', () => lost(gen));
    } else {
      // Without the socket there is no frame to wait for: the SDK's word that it is open has to do.
      frame('control');
    }
  }

  function lost(gen: number) {
    if (gen !== generation || stopped || health.silentForMs() === undefined) return;
    health.closed('reconnecting');
    lostAt ??= now();
    log.warn('feishu long connection lost, reconnecting');
  }

  function open() {
    const gen = ++generation;
    const c = new lark.WSClient({
      appId: o.appId,
      appSecret: o.appSecret,
      domain: o.baseUrl,
      logger: sdkLog,
      loggerLevel: lark.LoggerLevel.warn,
      autoReconnect: true,
      handshakeTimeoutMs: tuning.handshakeTimeoutMs,
      wsConfig: { pingTimeout: tuning.pingTimeoutSeconds },
      onReady: () => opened(c, gen),
      onReconnected: () => opened(c, gen),
      // Fires synchronously from the SDK's 'close' handler, before ours: the one log line is here.
      onReconnecting: () => lost(gen),
      onError: (e: Error) => {
        if (gen !== generation || stopped) return;
        health.closed('failed');
        lostAt ??= now();
        restartAt = now() + restartDelay;
        log.error('feishu long connection gave up; starting a new client', { inMs: restartDelay, error: describeError(e) });
        restartDelay = Math.min(restartDelay * 2, MAX_RESTART_DELAY_MS);
      },
    });
    client = c;
    void c.start({ eventDispatcher: dispatcher });
  }

  /** Drops the current client (its timers and socket go with it) and starts a fresh one. */
  function restart() {
    const old = client;
    generation += 1;
    old?.close({ force: true });
    restartAt = undefined;
    restartsInOutage += 1;
    health.closed('reconnecting');
    open();
  }

  const watchdog = setInterval(() => {
    if (stopped || !client) return;
    if (restartAt !== undefined && now() >= restartAt) return restart();
    const silent = health.silentForMs();
    if (!socketWatched || silent === undefined) return;
    const limit = pingIntervalMs(client) + tuning.pingTimeoutSeconds * 1000 + tuning.silenceGraceMs;
    if (silent > limit) {
      lostAt ??= now();
      log.warn('feishu long connection silent, reconnecting', { silentMs: silent });
      restart();
    }
  }, tuning.checkEveryMs);
  watchdog.unref();

  open();

  return {
    status(): LongConnectionStatus {
      const st = health.status();
      const sdkAttempts = client?.getConnectionStatus().reconnectAttempts ?? 0;
      return { ...st, reconnectAttempts: st.downSince === undefined ? 0 : restartsInOutage + sdkAttempts };
    },
    async close() {
      if (stopped) return;
      stopped = true;
      clearInterval(watchdog);
      generation += 1;
      client?.close({ force: true });
      health.closed('stopped');
      log.info('feishu long connection closed');
    },
  };
}
