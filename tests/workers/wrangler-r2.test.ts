/**
 * Evidence on Workers with an R2 bucket bound as EVIDENCE (tests/workers/wrangler.r2.toml, local
 * R2 under wrangler dev): the file's bytes are kept in the bucket and sent back from it. The
 * evidence scenario without R2 (reference only) runs with the shared scenarios in wrangler-dev.test.ts.
 */
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/payloads.js';
import type { SeededLedger } from '../helpers/seed-ledger.js';
import { seedLedgerSql } from '../helpers/seed-sql.js';
import { startWranglerDev, type WranglerDev } from '../helpers/wrangler-dev.js';
import { evidenceScenarios } from '../scenarios/evidence.scenarios.js';
import { scenarioLedger } from '../scenarios/target.js';
import { workerTarget } from '../scenarios/worker-target.js';

const R2_CONFIG = fileURLToPath(new URL('./wrangler.r2.toml', import.meta.url));

describe('evidence on Cloudflare Workers with an R2 bucket (wrangler dev, local D1 and R2)', () => {
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
        WORK_LEASE_SECONDS: '5',
        LOG_LEVEL: 'debug',
      },
      { seedSql: seed.sql, config: R2_CONFIG },
    );
  }, 120_000);
  afterAll(async () => {
    await dev?.stop();
    await fake?.stop();
  });

  for (const scenario of evidenceScenarios) {
    it(
      scenario.name,
      async () => {
        const t = workerTarget(dev, fake, ledger, 'r2');
        try {
          await scenario.run(t);
        } catch (e) {
          if (e instanceof Error) e.message += `\n--- workers log (tail) ---\n${t.logs().slice(-6000)}`;
          throw e;
        }
      },
      scenario.timeoutMs ?? 60_000,
    );
  }
});
