/**
 * The Workers build end to end: `wrangler dev` (local workerd, local D1 with the migrations
 * applied by wrangler) against the loopback fake Feishu, through the official SDK bundled
 * for workerd. Runs the same scenarios as the Node service.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/payloads.js';
import type { SeededLedger } from '../helpers/seed-ledger.js';
import { seedLedgerSql } from '../helpers/seed-sql.js';
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev.js';
import { runSharedScenarios } from '../scenarios/index.js';
import { scenarioLedger } from '../scenarios/target.js';
import { workerTarget } from '../scenarios/worker-target.js';

describe('shared scenarios on Cloudflare Workers (wrangler dev, local D1)', () => {
  let fake: FakeFeishu;
  let dev: WranglerDev;
  let ledger: SeededLedger;
  beforeAll(async () => {
    fake = await startFakeFeishu();
    const seed = await seedLedgerSql(scenarioLedger());
    ledger = seed.ledger;
    dev = await startWranglerDev(
      {
        FEISHU_APP_ID: fake.appId,
        FEISHU_APP_SECRET: fake.appSecret,
        FEISHU_BASE_URL: fake.url,
        FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
        FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
        ADMIN_OPEN_IDS: 'ou_admin000000000000000000000001',
        WORK_LEASE_SECONDS: '5',
        LOG_LEVEL: 'debug',
      },
      { seedSql: seed.sql },
    );
  }, 120_000);
  afterAll(async () => {
    await dev?.stop();
    await fake?.stop();
  });

  it('serves /healthz from D1 in feishu mode', async () => {
    const res = await fetch(`${dev.url}/healthz`);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok', db: 'ok', mode: 'feishu' });
  });

  runSharedScenarios(() => workerTarget(dev, fake, ledger));
});
