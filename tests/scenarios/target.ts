/**
 * What a shared scenario needs from the service under test, whichever runtime serves it:
 * the Node service in-process, or the Workers build under `wrangler dev`.
 */
import { randomUUID } from 'node:crypto';
import type { FakeFeishu } from '../helpers/fake-feishu.js';
import { signedRequest } from '../helpers/payloads.js';
import type { SeededLedger, SeedLedgerSpec } from '../helpers/seed-ledger.js';
import { nationalDayLedger } from '../helpers/seed-ledger.js';

/** The ledger every target starts with (no import needed): the 2025 National Day ledger. */
export const scenarioLedger = (): SeedLedgerSpec => nationalDayLedger();

export interface ScenarioTarget {
  readonly name: string;
  /** The fake Feishu the service sends to; shared by all scenarios of one target run. */
  readonly fake: FakeFeishu;
  /** Ids of the seeded `scenarioLedger()`; scenarios that change it use measures no other scenario uses. */
  readonly ledger: SeededLedger;
  /** POST /feishu/events with exactly these bytes and headers. */
  request(body: string, headers: Record<string, string>): Promise<Response>;
  /** Waits for work started after the acks and delivers every message that is due. */
  settle(): Promise<void>;
  /** Runs what a cron run (`cron`, UTC) runs: the sweep, then (except SWEEP_CRON) the due jobs. */
  scheduled(cron: string): Promise<void>;
  /** Everything the service has logged so far (it runs with LOG_LEVEL=debug). */
  logs(): string;
  /** True where a retry that is not due shortly after the ack waits for the cron sweep. */
  readonly retriesWaitForSweep: boolean;
  /** Where evidence files end up: a folder (Node), R2 (Workers with EVIDENCE bound), or only a reference to Feishu. */
  readonly evidenceStorage: 'local' | 'r2' | 'feishu_ref';
}

/** The every-minute trigger of wrangler.toml: it sweeps and runs no jobs. */
export const SWEEP_CRON = '* * * * *';
/** The weekly-summary trigger of wrangler.toml (Monday 09:00 in Asia/Shanghai). */
export const WEEKLY_CRON = '0 1 * * 1';

/** An id no earlier scenario on the same target used. */
export const freshId = (prefix: string) => `${prefix}${randomUUID().replaceAll('-', '').slice(0, 24)}`;

/** Encrypts, signs and posts an event like the platform does. */
export async function postEvent(target: ScenarioTarget, payload: unknown, sign: Parameters<typeof signedRequest>[1] = {}) {
  const req = await signedRequest(payload, sign);
  return target.request(req.body, req.headers);
}

/** Requests that reached the fake for a reply to one message (retries included). */
export function replyRequests(fake: FakeFeishu, messageId: string) {
  return fake.requests.filter((r) => r.method === 'POST' && r.path === `/open-apis/im/v1/messages/${messageId}/reply`);
}

export function repliesTo(fake: FakeFeishu, messageId: string) {
  return fake.sent('reply').filter((m) => m.target === messageId);
}

/** A scenario runs against a target that earlier scenarios used too: use fresh ids. */
export interface Scenario {
  name: string;
  /** longer than the default where the scenario waits for many deliveries */
  timeoutMs?: number;
  run(target: ScenarioTarget): Promise<void>;
}
