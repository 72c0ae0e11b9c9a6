/**
 * The usual setup of a behaviour test: a fake Feishu on loopback, the service on a fresh SQLite
 * file with a fixed clock, and a seeded ledger; all of it started before each test and stopped
 * after it. Read the parts through the returned object (they change per test).
 */
import { eq } from 'drizzle-orm';
import { afterEach, beforeEach } from 'vitest';
import { measures } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { startFakeFeishu, type FakeFeishu } from './fake-feishu.js';
import { startTestService, type TestService } from './harness.js';
import { nationalDayLedger, seedLedger, type SeedLedgerSpec, type SeededLedger } from './seed-ledger.js';

export interface SeededService {
  readonly fake: FakeFeishu;
  readonly svc: TestService;
  readonly ledger: SeededLedger;
  /** a measure as stored now, by its code in the seeded ledger */
  measure(code: string): Promise<typeof measures.$inferSelect>;
}

export function useSeededService(o: { now: string; ledger?: () => SeedLedgerSpec; env?: Record<string, string> }): SeededService {
  let fake: FakeFeishu;
  let svc: TestService;
  let ledger: SeededLedger;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock(o.now), env: o.env });
    ledger = await seedLedger(svc.deps.db, (o.ledger ?? nationalDayLedger)());
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });
  return {
    get fake() {
      return fake;
    },
    get svc() {
      return svc;
    },
    get ledger() {
      return ledger;
    },
    measure: async (code) => (await svc.deps.db.select().from(measures).where(eq(measures.id, ledger.measures[code]!)))[0]!,
  };
}
