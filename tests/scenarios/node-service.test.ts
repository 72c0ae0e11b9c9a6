/** The shared scenarios against the Node service (in-process, real SQLite file, real SDK). */
import { afterEach, beforeEach, describe } from 'vitest';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { runSharedScenarios } from './index.js';
import type { ScenarioTarget } from './target.js';

function nodeTarget(svc: TestService, fake: FakeFeishu): ScenarioTarget {
  return {
    name: 'node',
    fake,
    retriesWaitForSweep: false,
    logs: () => svc.logLines.join('\n'),
    request: async (body, headers) => svc.app.request('/feishu/events', { method: 'POST', body, headers }),
    settle: () => svc.settle(),
    async scheduled() {
      await svc.sweep();
    },
  };
}

describe('shared scenarios on the Node service', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake });
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });
  runSharedScenarios(() => nodeTarget(svc, fake));
});
