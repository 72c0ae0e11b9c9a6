/** The shared scenarios against the Node service (in-process, real SQLite file, real SDK). */
import { afterEach, beforeEach, describe } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';
import { runSharedScenarios } from './index.js';
import { runScheduledJobs } from '../../src/jobs/index.js';
import { scenarioLedger, SWEEP_CRON, type ScenarioTarget } from './target.js';

function nodeTarget(svc: TestService, fake: FakeFeishu, ledger: SeededLedger): ScenarioTarget {
  return {
    name: 'node',
    fake,
    ledger,
    retriesWaitForSweep: false,
    evidenceStorage: 'local',
    logs: () => svc.logLines.join('\n'),
    request: async (body, headers) => svc.app.request('/feishu/events', { method: 'POST', body, headers }),
    settle: () => svc.settle(),
    // What the Worker's cron run does, with the job functions the Node scheduler calls.
    async scheduled(cron) {
      await svc.sweep();
      if (cron !== SWEEP_CRON) await runScheduledJobs(svc.deps, { cron, at: svc.deps.clock.now() });
    },
  };
}

describe('shared scenarios on the Node service', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let ledger: SeededLedger;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
    ledger = await seedLedger(svc.deps.db, scenarioLedger());
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });
  runSharedScenarios(() => nodeTarget(svc, fake, ledger));
});
