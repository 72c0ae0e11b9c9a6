/** Runs the real Node service (real SQLite file, real SDK) against the fake Feishu server. */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Clock } from '../../src/clock.js';
import { parseConfig } from '../../src/config.js';
import { createNodeService, type NodeServiceOptions } from '../../src/entry.node.js';
import { createLogger, type LogEntry, type Logger } from '../../src/logger.js';
import { validateCallbackAnswer } from '../../cards/card-schema.js';
import { checkCardLimits } from '../../cards/limits.js';
import type { FakeFeishu } from './fake-feishu.js';
import { signedRequest, TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from './payloads.js';

export interface TestServiceOptions {
  fake?: FakeFeishu;
  env?: Record<string, string>;
  clock?: Clock;
  /** reuse a database file (to simulate a restart) */
  databasePath?: string;
  app?: NodeServiceOptions['app'];
  log?: Logger;
  defer?: NodeServiceOptions['defer'];
  ledgerWorker?: NodeServiceOptions['ledgerWorker'];
  playground?: boolean;
  /** opens the long connection (FEISHU_EVENT_MODE=websocket in env) with these timings */
  longConnection?: NodeServiceOptions['longConnection'];
}

export function tempDir(prefix = 'duban-test-'): { path: string; remove(): void } {
  const path = mkdtempSync(join(tmpdir(), prefix));
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) };
}

/** Log records captured per service (as lines and as entries), so runs stay quiet and tests can read the fields. */
export function captureLogger(): Logger & { lines: string[]; entries: LogEntry[] } {
  const lines: string[] = [];
  const entries: LogEntry[] = [];
  const log = createLogger('debug', (line, _level, entry) => {
    lines.push(line);
    entries.push(entry);
  });
  return Object.assign(log, { lines, entries });
}

export async function startTestService(o: TestServiceOptions = {}) {
  const dir = o.databasePath ? undefined : tempDir();
  const databasePath = o.databasePath ?? join(dir!.path, 'duban.sqlite');
  const env: Record<string, string> = {
    DATABASE_PATH: databasePath,
    FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
    WORK_LEASE_SECONDS: '1',
    ...(o.fake ? { FEISHU_APP_ID: o.fake.appId, FEISHU_APP_SECRET: o.fake.appSecret, FEISHU_BASE_URL: o.fake.url } : {}),
    ...o.env,
  };
  const config = parseConfig(env);
  const captured = captureLogger();
  const log = o.log ?? captured;
  const service = await createNodeService(config, {
    clock: o.clock,
    log,
    app: o.app,
    defer: o.defer,
    ledgerWorker: o.ledgerWorker,
    longConnection: o.longConnection,
    playground: o.playground,
  });

  /** Callback answers (toast / card envelope) and their cards, held to the platform rules like the cards sent. */
  const cardProblems: string[] = [];
  async function post(payload: unknown, sign: Parameters<typeof signedRequest>[1] = {}) {
    // Signed at the service's time, as Feishu would sign at the (pinned) present.
    const timestamp = String(Math.floor(service.deps.clock.now().getTime() / 1000));
    const req = await signedRequest(payload, { timestamp, ...sign });
    const res = await service.app.request('/feishu/events', { method: 'POST', body: req.body, headers: req.headers });
    const answer = (await res
      .clone()
      .json()
      .catch(() => undefined)) as { card?: { data?: unknown } } | undefined;
    if ((payload as { header?: { event_type?: string } } | null)?.header?.event_type === 'card.action.trigger') {
      for (const v of validateCallbackAnswer(answer)) cardProblems.push(`callback answer: ${v.rule} at ${v.path}: ${v.message}`);
    }
    if (answer?.card?.data) for (const v of checkCardLimits(answer.card.data)) cardProblems.push(`callback answer: ${v.rule} at ${v.path}: ${v.message}`);
    return res;
  }

  return {
    ...service,
    config,
    databasePath,
    log,
    /** log lines written by the service (when no logger was passed in) */
    logLines: captured.lines,
    /** the same records as entries: level, message and fields as the service passed them */
    logEntries: captured.entries,
    post,
    /** Waits for deferred work, then delivers everything due in the outbox. */
    async settle(maxWaitMs = 10_000) {
      await service.idle(maxWaitMs);
      await service.deps.outbox.drain({ maxWaitMs });
      await service.idle(maxWaitMs);
    },
    /**
     * Leaves the service as a crash would: nothing is waited for, nothing it holds is released.
     * The next service on the same file (same process id, another holder) takes its work over.
     */
    abandon() {
      service.deps.outbox.stop();
    },
    async close(removeFiles = true) {
      await service.idle(5_000);
      await service.close();
      if (removeFiles) dir?.remove();
      if (cardProblems.length > 0) throw new Error(`cards outside the platform limits:\n${cardProblems.join('\n')}`);
    },
  };
}

export type TestService = Awaited<ReturnType<typeof startTestService>>;
