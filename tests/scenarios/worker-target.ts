/** The Workers build under `wrangler dev` as a scenario target (tests/workers/). */
import type { FakeFeishu } from '../helpers/fake-feishu.js';
import type { SeededLedger } from '../helpers/seed-ledger.js';
import type { WranglerDev } from '../helpers/wrangler-dev.js';
import { SWEEP_CRON, type ScenarioTarget } from './target.js';

export function workerTarget(
  dev: WranglerDev,
  fake: FakeFeishu,
  ledger: SeededLedger,
  evidenceStorage: ScenarioTarget['evidenceStorage'] = 'feishu_ref',
): ScenarioTarget {
  async function scheduled(cron: string) {
    const res = await fetch(`${dev.url}/__scheduled?cron=${encodeURIComponent(cron)}`, { signal: AbortSignal.timeout(60_000) });
    const text = await res.text();
    if (res.status !== 200) throw new Error(`scheduled run failed: ${res.status} ${text}\n${dev.output()}`);
  }
  return {
    name: 'workers',
    fake,
    ledger,
    retriesWaitForSweep: true,
    // wrangler.toml binds no R2 bucket: evidence is kept by reference (tests/workers/wrangler-r2.test.ts binds one).
    evidenceStorage,
    logs: () => dev.output(),
    request: (body, headers) => fetch(`${dev.url}/feishu/events`, { method: 'POST', body, headers, signal: AbortSignal.timeout(15_000) }),
    // A cron run finishes interrupted events and delivers everything due, then returns.
    settle: () => scheduled(SWEEP_CRON),
    scheduled,
  };
}
