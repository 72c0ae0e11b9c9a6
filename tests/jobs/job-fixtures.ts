/** Shared set-up for the scheduler tests: a service on a fixed clock over a seeded ledger. */
import { createFixedClock } from '../../src/clock.js';
import type { PostedMessage } from '../helpers/fake-feishu.js';
import { startTestService, type TestServiceOptions } from '../helpers/harness.js';
import type { SeedLedgerSpec } from '../helpers/seed-ledger.js';

/** 09:00 in Shanghai on a local date. */
export const nineAm = (day: string) => new Date(`${day}T09:00:00+08:00`);

export async function startSchedulerService(o: TestServiceOptions & { at?: string } = {}) {
  const clock = createFixedClock(nineAm(o.at ?? '2025-09-26'));
  const svc = await startTestService({ ...o, clock });
  return Object.assign(svc, { clock });
}

/** Card messages and the plain text a card carries (header, markdown, table cells). */
export function cardText(m: PostedMessage): string {
  return JSON.stringify(m.content);
}

/** Counts every component of a card (anything with a tag) as the 200-element limit does. */
export function countElements(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((n: number, x) => n + countElements(x), 0);
  if (!node || typeof node !== 'object') return 0;
  const o = node as Record<string, unknown>;
  let n = typeof o.tag === 'string' && o.tag !== 'plain_text' && o.tag !== 'lark_md' ? 1 : 0;
  for (const [k, v] of Object.entries(o)) if (k !== 'chart_spec') n += countElements(v);
  return n;
}

/** A ledger shaped for the 2025 National Day holiday (Oct 1–8 off; Sun Sep 28 and Sat Oct 11 worked). */
export function holidayReminderLedger(): SeedLedgerSpec {
  return {
    departments: ['办公室', '财务科', '人事科'],
    people: [
      { key: 'sec', name: '整改办李明', roles: ['secretary'] },
      { key: 'lead', name: '张书记', roles: ['leader'] },
      { key: 'wang', name: '王芳', department: '办公室', roles: ['owner'] },
      { key: 'zhao', name: '赵强', department: '财务科', roles: ['owner'] },
      { key: 'sun', name: '孙丽', department: '人事科', roles: ['owner'] },
      { key: 'qian', name: '钱伟', openId: null, department: '人事科', roles: ['owner'] },
    ],
    measures: [
      { code: '1.1.1', text: '完善公务接待审批制度', department: '办公室', owner: 'wang', leader: 'lead', due: '2025-10-10' },
      { code: '1.1.2', text: '清理超标配置办公用房', department: '办公室', owner: 'wang', leader: 'lead', due: '2025-09-30' },
      { code: '1.2.1', text: '规范专项资金拨付流程', department: '财务科', owner: 'zhao', leader: 'lead', due: '2025-10-09' },
      {
        code: '2.1.1',
        text: '每月通报资金使用情况',
        department: '财务科',
        owner: 'zhao',
        leader: 'lead',
        kind: 'ongoing',
        reports: [{ at: '2025-09-10T02:00:00Z' }],
      },
      {
        code: '2.1.2',
        text: '每月开展警示教育',
        department: '财务科',
        owner: 'zhao',
        leader: 'lead',
        kind: 'ongoing',
        reports: [{ at: '2025-10-15T02:00:00Z' }],
      },
      { code: '3.1.1', text: '补齐干部档案材料', department: '人事科', owner: 'qian', leader: 'lead', due: '2025-10-09' },
      { code: '3.1.2', text: '整改选人用人问题', department: '人事科', owner: 'sun', leader: 'lead', due: '2025-09-30', status: 'closed' },
      { code: '3.1.3', text: '规范借调人员管理', department: '人事科', owner: 'sun', leader: 'lead', due: '2025-09-29', status: 'submitted' },
    ],
  };
}
