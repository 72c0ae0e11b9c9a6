/** The scheduled jobs as the cron triggers run them, the same way on every runtime. */
import { expect } from 'vitest';
import { readable } from '../helpers/chat.js';
import { WEEKLY_CRON, type Scenario } from './target.js';

const LEADING_GROUP = 'oc_leading_group';

export const jobScenarios: Scenario[] = [
  {
    name: 'the weekly-summary trigger posts one summary card to the leading group, also when it fires twice',
    async run(target) {
      const summaries = () => target.fake.sent('create').filter((m) => m.target === LEADING_GROUP);
      const posts = () => target.fake.requests.filter((r) => r.path === '/open-apis/im/v1/messages' && r.body?.receive_id === LEADING_GROUP);
      expect(summaries()).toHaveLength(0);

      await target.scheduled(WEEKLY_CRON);
      await target.settle();
      expect(summaries()).toHaveLength(1);
      expect(summaries()[0]!.msgType).toBe('interactive');
      expect(readable(summaries()[0]!)).toContain('整改工作周报');

      await target.scheduled(WEEKLY_CRON);
      await target.settle();
      expect(summaries()).toHaveLength(1);
      expect(posts()).toHaveLength(1);
    },
  },
];
