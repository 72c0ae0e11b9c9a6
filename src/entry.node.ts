/**
 * The Node entry: the only file (with its small db helper) that knows it runs on Node.
 * It reads the configuration, opens SQLite, applies migrations, wires Deps and serves HTTP.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import Database from 'better-sqlite3';
import { drizzle } from 'drizzle-orm/better-sqlite3';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import * as schema from '../db/schema.js';
import { withCapabilities, type Db } from '../db/database.js';
import { ensureAdmins } from '../db/queries/people.js';
import { createApp, type AppOptions } from './app.js';
import { systemClock, type Clock } from './clock.js';
import { ConfigError, parseConfig, type AppConfig } from './config.js';
import type { Deps } from './deps.js';
import type { FeishuClient } from './port/feishu-client.js';
import { createAckFirstQueue } from './feishu/ack-first-queue.js';
import { recoverInbox } from './feishu/inbox.js';
import { createLocalFeishuClient } from './feishu/local-client.js';
import { createOutboxDelivery } from './feishu/outbox.js';
import { createSdkFeishuClient } from './feishu/sdk-client.js';
import { startNodeScheduler } from './jobs/scheduler.node.js';
import { createLogger, describeError, type Logger } from './logger.js';
import { createArchiveZipper } from './runtime/archive-zip.node.js';
import { createDirectoryEvidenceStore } from './runtime/evidence-store.node.js';
import { nodeCrypto } from './runtime/node-crypto.js';
import { startWalCheckpointer } from './runtime/wal-checkpointer.js';
import { startWorkHolder } from './runtime/work-holder.js';
import { attachPlayground, createPlaygroundHub, playgroundConfig } from './playground/index.js';
import { startLongConnection, type LongConnection, type LongConnectionTuning } from './runtime/feishu-long-connection.js';
import { createWorkerLedgerParser, DEFAULT_PARSE_MEMORY_MB, DEFAULT_PARSE_TIMEOUT_MS, type WorkerParserOptions } from './runtime/worker-ledger-parser.js';

export const MIGRATIONS_DIR = fileURLToPath(new URL('../db/migrations', import.meta.url));
/**
 * How often unfinished work is looked for: events and messages a dead process held (its claims
 * are released within a heartbeat timeout), and whatever a crash left. Cheap indexed queries.
 */
const SWEEP_INTERVAL_MS = 1_000;
/**
 * The ledger parse worker's entry: the TypeScript source when this file runs as TypeScript
 * (tsx, vitest), else the file scripts/build.mjs bundles beside dist/entry.node.js.
 */
export const LEDGER_WORKER_URL = import.meta.url.endsWith('.ts')
  ? new URL('./runtime/ledger-parse.worker.ts', import.meta.url)
  : new URL('./ledger-parse.worker.js', import.meta.url);

/** Ledger files are parsed in a worker thread (kept warm between files) with a heap and a time limit. */
export function createNodeLedgerParser(log: Logger, limits: Partial<Pick<WorkerParserOptions, 'maxMemoryMb' | 'timeoutMs' | 'keepWarm'>> = {}) {
  return createWorkerLedgerParser({
    workerUrl: LEDGER_WORKER_URL,
    maxMemoryMb: limits.maxMemoryMb ?? DEFAULT_PARSE_MEMORY_MB,
    timeoutMs: limits.timeoutMs ?? DEFAULT_PARSE_TIMEOUT_MS,
    keepWarm: limits.keepWarm,
    log,
  });
}

/**
 * Two processes started at once on a new file (a service and a job, or two instances) both
 * see the migrations unapplied; the migrator reads before it takes the write lock, so the second
 * fails on a table the first just created. Read again and it finds them applied.
 */
function migrateAlongsideOthers(run: () => void, attempts = 5): void {
  for (let i = 1; ; i++) {
    try {
      return run();
    } catch (e) {
      const reason = `${String(e)} ${String((e as { cause?: unknown }).cause ?? '')}`;
      if (i >= attempts || !/already exists|duplicate column|database is locked|SQLITE_BUSY/i.test(reason)) throw e;
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 100 * i);
    }
  }
}

/** Opens (creating if needed) the SQLite file in WAL mode and brings its schema up to date. */
export function openNodeDatabase(path: string): { db: Db; close(): void; connection: Database.Database } {
  if (path !== ':memory:') mkdirSync(dirname(resolve(path)), { recursive: true });
  const sqlite = new Database(path);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = NORMAL');
  sqlite.pragma('busy_timeout = 5000');
  sqlite.pragma('foreign_keys = ON');
  const orm = drizzle(sqlite, { schema });
  migrateAlongsideOthers(() => migrate(orm, { migrationsFolder: MIGRATIONS_DIR }));
  // better-sqlite3 is synchronous: atomic work is one transaction, and inbox inserts that arrive
  // while the event loop handles other requests (until setImmediate) share one commit.
  const db = withCapabilities(orm, { atomic: 'transaction', sqlite, groupCommit: (flush) => setImmediate(flush) });
  return { db, close: () => sqlite.close(), connection: sqlite };
}

/** EVIDENCE_DIR, or an evidence/ folder beside the database file. */
export function evidenceDirOf(config: AppConfig): string {
  return config.evidence.dir ?? join(dirname(resolve(config.databasePath === ':memory:' ? 'data/duban.sqlite' : config.databasePath)), 'evidence');
}

/** Tracks deferred work so shutdown (and tests) can wait for it. */
export function createTaskTracker(log: Logger) {
  const running = new Set<Promise<unknown>>();
  return {
    defer(task: () => Promise<unknown>) {
      const p = Promise.resolve()
        .then(task)
        .catch((e) => log.error('background task failed', { error: describeError(e) }))
        .finally(() => running.delete(p));
      running.add(p);
    },
    async idle(timeoutMs = 30_000) {
      const until = Date.now() + timeoutMs;
      while (running.size > 0 && Date.now() < until) await Promise.race([Promise.allSettled([...running]), new Promise((r) => setTimeout(r, 50))]);
    },
    get size() {
      return running.size;
    },
  };
}

export interface NodeServiceOptions {
  clock?: Clock;
  log?: Logger;
  feishu?: FeishuClient;
  app?: AppOptions;
  /** replaces the tracked background runner (tests use it to drop work, as a crash would) */
  defer?: Deps['defer'];
  /** WAL checkpoints in a thread of their own instead of inside commits (`npm start` turns it on) */
  backgroundCheckpoints?: boolean;
  /** heap and time limits of the ledger parse worker (tests lower them) */
  ledgerWorker?: Partial<Pick<WorkerParserOptions, 'maxMemoryMb' | 'timeoutMs'>>;
  /**
   * Serves /playground (local mode only): the page's people talk to the bot through signed,
   * encrypted events, and what the bot sends goes to the page instead of the log.
   */
  playground?: boolean;
  /**
   * Opens the long connection when FEISHU_EVENT_MODE is websocket (`npm start` passes it; CLI
   * jobs do not, so they never take events: Feishu hands each to one connected client).
   * Tests shorten its timings.
   */
  longConnection?: Partial<LongConnectionTuning>;
}

/** Everything `npm start` runs, minus the listening socket; tests use it directly. */
export async function createNodeService(given: AppConfig, options: NodeServiceOptions = {}) {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? createLogger(given.logLevel);
  if (options.playground && given.mode !== 'local') throw new Error('the playground runs in local mode only (no Feishu credentials)');
  const hub = options.playground ? createPlaygroundHub(log, () => clock.now()) : undefined;
  const config = hub ? playgroundConfig(given) : given;
  const database = openNodeDatabase(config.databasePath);
  const checkpointer =
    options.backgroundCheckpoints && config.databasePath !== ':memory:'
      ? startWalCheckpointer({
          path: config.databasePath,
          connection: database.connection,
          log,
          driverPath: createRequire(import.meta.url).resolve('better-sqlite3'),
        })
      : undefined;
  const tasks = createTaskTracker(log);
  const feishu =
    options.feishu ??
    hub?.client ??
    (config.mode === 'feishu'
      ? createSdkFeishuClient({
          appId: config.feishu.appId!,
          appSecret: config.feishu.appSecret!,
          baseUrl: config.feishu.baseUrl,
          log,
          now: () => clock.now().getTime(),
        })
      : createLocalFeishuClient(log));
  const defer = options.defer ?? tasks.defer;
  const holder = await startWorkHolder({ db: database.db, clock, log });
  const outbox = createOutboxDelivery({
    db: database.db,
    feishu,
    clock,
    log,
    leaseMs: config.workLeaseMs,
    holderId: holder.id,
    defer,
    kickMaxWaitMs: 60_000,
    wakeAtDue: true,
  });
  // No thread waits at start (it would hold about 30 MB all the time): one starts when a file
  // message arrives, during its download, and stays for the next file until 10 idle minutes.
  const parseLedger = createNodeLedgerParser(log, { keepWarm: false, ...options.ledgerWorker });
  const inboxQueue = createAckFirstQueue({ start: defer, quietAfterMs: 25, yieldToIo: () => new Promise<void>((resolve) => setImmediate(resolve)) });
  const evidenceStore = createDirectoryEvidenceStore(evidenceDirOf(config));
  const zipArchive = createArchiveZipper(evidenceDirOf(config));
  const deps: Deps = {
    config,
    db: database.db,
    feishu,
    clock,
    log,
    defer,
    outbox,
    crypto: nodeCrypto,
    parseLedger,
    holderId: holder.id,
    inboxQueue,
    evidenceStore,
    zipArchive,
  };
  await ensureAdmins(deps.db, config.adminOpenIds, clock.now().toISOString());
  let longConnection: LongConnection | undefined;
  const { app, onEvent, longConnectionDoor } = createApp(deps, { ...options.app, longConnection: () => longConnection });
  const playground = hub ? attachPlayground(app, deps, hub) : undefined;
  if (options.longConnection && config.feishu.eventMode === 'websocket') {
    longConnection = await startLongConnection({
      ...options.longConnection,
      appId: config.feishu.appId!,
      appSecret: config.feishu.appSecret!,
      baseUrl: config.feishu.baseUrl,
      log,
      unhealthyAfterMs: config.feishu.wsUnhealthyAfterMs,
      deliver: longConnectionDoor,
    });
  }

  let sweeping = false;
  /** Finishes what a previous run left: unprocessed events and undelivered messages. */
  async function sweep() {
    if (sweeping) return;
    sweeping = true;
    try {
      await recoverInbox(deps, onEvent);
      outbox.kick();
    } finally {
      sweeping = false;
    }
  }

  return {
    deps,
    app,
    /** the playground's server side, when it is on */
    playground,
    sweep,
    idle: tasks.idle,
    /** websocket mode: the long connection (absent in webhook mode) */
    longConnection,
    /** Stops taking events: closes the long connection (the webhook stops with the HTTP server). */
    async stopIntake() {
      await longConnection?.close();
    },
    /** Stops the timers and releases this process's claims (taken over at once), then closes the database. */
    async close() {
      await longConnection?.close();
      outbox.stop();
      await holder.stop();
      await parseLedger.close();
      await checkpointer?.stop();
      database.close();
    },
  };
}

function loadDotEnv() {
  if (existsSync('.env')) process.loadEnvFile('.env');
}

async function main() {
  loadDotEnv();
  let config: AppConfig;
  try {
    config = parseConfig(process.env);
  } catch (e) {
    if (e instanceof ConfigError) {
      console.error(`duban: ${e.message}`);
      process.exit(1);
    }
    throw e;
  }
  const service = await createNodeService(config, { backgroundCheckpoints: true, playground: config.mode === 'local', longConnection: {} });
  const { log } = service.deps;
  if (config.mode === 'local') {
    const origin = `http://${config.host?.includes(':') ? `[${config.host}]` : (config.host ?? 'localhost')}:${config.port}`;
    console.log(
      `duban is running in local mode: no Feishu credentials. Try it in the browser: ${origin}/playground ` +
        '(what the bot sends goes there, and a one-line summary of each message to this log). ' +
        'To connect Feishu, set FEISHU_APP_ID, FEISHU_APP_SECRET, FEISHU_ENCRYPT_KEY and FEISHU_VERIFICATION_TOKEN (see .env.example).',
    );
  }
  const server: ServerType = serve({ fetch: service.app.fetch, port: config.port, hostname: config.host }, (info) => {
    log.info('duban listening', { host: info.address, port: info.port, mode: config.mode, eventMode: config.feishu.eventMode, database: config.databasePath });
  });
  server.on('error', (e: NodeJS.ErrnoException) => {
    console.error(`duban: cannot listen on ${config.host ? `HOST ${config.host}, ` : ''}PORT ${config.port}: ${e.code ?? e.message}`);
    process.exit(1);
  });
  await service.sweep();
  // The playground's roles and leading group, set up through the bot's own commands.
  if (service.playground) void service.playground.bootstrap().catch((e) => log.error('playground setup failed', { error: describeError(e) }));
  const scheduler = startNodeScheduler(service.deps);
  const timer = setInterval(() => void service.sweep().catch((e) => log.error('sweep failed', { error: describeError(e) })), SWEEP_INTERVAL_MS);

  let stopping = false;
  const stop = async (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info('stopping', { signal });
    clearInterval(timer);
    scheduler.stop();
    server.close();
    await service.stopIntake();
    await service.idle(10_000);
    await service.close();
    process.exit(0);
  };
  process.on('SIGTERM', () => void stop('SIGTERM'));
  process.on('SIGINT', () => void stop('SIGINT'));
}

// Started as the program (tsx src/entry.node.ts, node dist/entry.node.js), not imported by a tool or test.
if (process.argv[1] && /entry\.node\.[jt]s$/.test(process.argv[1])) {
  main().catch((e) => {
    const d = describeError(e);
    console.error(`duban: failed to start: ${d.message}`, JSON.stringify(d));
    process.exit(1);
  });
}
