import { and, eq, inArray } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  auditLog,
  chatBindings,
  evidence,
  evidenceSessions,
  evidenceWaivers,
  extensionRequests,
  measures,
  pendingImports,
  people,
  personRoles,
  progressReports,
} from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import type { MessageOptions } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

/**
 * Every command, run by every role, on a measure of the actor's own department and on one of
 * another department. The expectations are written out by hand: this table is the policy.
 * 1.2.1 belongs to 办公室 (owner 王芳 = ou_wang); 2.1.1 belongs to 财务科 (owner 赵强 = ou_zhao).
 *
 * "Allowed" means the command's own success reply AND its recorded effect (a report row, a
 * status change, a role granted, a message sent...); "refused" means the refusal reply and no
 * effect at all. An apology ("something went wrong") is neither, so a command that fails after
 * its permission check turns its allowed cases red.
 */

type Actor = 'admin' | 'secretary' | 'leader' | 'owner' | 'stranger';
const OPEN_IDS: Record<Actor, string> = { admin: 'ou_admin', secretary: 'ou_secretary', leader: 'ou_leader', owner: 'ou_wang', stranger: 'ou_stranger' };

// The refusals the service gives; a state error ("only submitted measures can be returned") is not one.
const DENIED = /没有使用|不在您的职责范围|您不是措施|只有领导或整改办|只有整改办|的责任人可以申请延期/;

const GROUP = 'oc_matrix_group';
const HELPER = 'ou_helper';

type State = Awaited<ReturnType<typeof stateOf>>;
interface Run {
  code: string;
  openId: string;
  messageId: string;
  before: State;
  after: State;
}

interface Row {
  /** {code} is 1.2.1 for "own" and 2.1.1 for "other" */
  template: string;
  /** actors allowed on their own department's measure, and on another department's */
  own: Actor[];
  other: Actor[];
  /** the command's own success reply (the first reply) */
  success: RegExp;
  /** puts the database where the command can succeed (the measures are reset before every case) */
  prepare?: (code: string, openId: string) => Promise<void>;
  /** the effect an allowed run must have recorded */
  effect?: (r: Run) => void;
  chat?: (text: string) => Partial<MessageOptions> & { text: string };
}

let fake: FakeFeishu;
let svc: TestService;
const db = () => svc.deps.db;

/** Everything a command of this table may change; a refused command must leave all of it as it was. */
async function stateOf() {
  return {
    measures: await db()
      .select({
        id: measures.id,
        code: measures.code,
        status: measures.status,
        owner: measures.ownerPersonId,
        due: measures.dueDate,
        version: measures.version,
      })
      .from(measures)
      .orderBy(measures.id),
    reports: await db()
      .select({ measureId: progressReports.measureId, text: progressReports.text, author: progressReports.authorName })
      .from(progressReports)
      .orderBy(progressReports.id),
    audit: await db().select({ actor: auditLog.actor, action: auditLog.action, measureId: auditLog.measureId }).from(auditLog).orderBy(auditLog.id),
    extensions: await db()
      .select({ id: extensionRequests.id, measureId: extensionRequests.measureId, status: extensionRequests.status, due: extensionRequests.newDueDate })
      .from(extensionRequests)
      .orderBy(extensionRequests.id),
    bindings: await db()
      .select({ chatId: chatBindings.chatId, active: chatBindings.active, by: chatBindings.boundBy })
      .from(chatBindings)
      .orderBy(chatBindings.chatId),
    roles: (await db().select({ openId: people.openId, role: personRoles.role }).from(personRoles).innerJoin(people, eq(people.id, personRoles.personId)))
      .map((r) => `${r.openId}:${r.role}`)
      .sort(),
    imports: await db()
      .select({ id: pendingImports.id, openId: pendingImports.openId, status: pendingImports.status })
      .from(pendingImports)
      .orderBy(pendingImports.id),
    waivers: await db().select({ measureId: evidenceWaivers.measureId, by: evidenceWaivers.waivedBy }).from(evidenceWaivers).orderBy(evidenceWaivers.measureId),
    sessions: await db()
      .select({ openId: evidenceSessions.openId, measureId: evidenceSessions.measureId })
      .from(evidenceSessions)
      .orderBy(evidenceSessions.openId),
    created: fake.sent('create').map((m) => `${m.target}:${m.msgType}`),
    files: fake
      .sent('reply')
      .filter((m) => m.msgType === 'file')
      .map((m) => m.target),
  };
}

const measureOf = (s: State, code: string) => s.measures.find((m) => m.code === code)!;
const added = <T>(before: T[], after: T[]) => after.slice(before.length);
const personId = async (openId: string) => (await db().select({ id: people.id }).from(people).where(eq(people.openId, openId)))[0]?.id;

const setStatus = (status: 'in_progress' | 'submitted') => async (code: string) => {
  await db().update(measures).set({ status }).where(eq(measures.code, code));
};

/** Closure needs evidence (EVIDENCE_REQUIRED): the measure gets a link, once. */
const withEvidence = async (code: string) => {
  const [m] = await db().select().from(measures).where(eq(measures.code, code));
  await db()
    .insert(evidence)
    .values({
      campaignId: m!.campaignId,
      measureId: m!.id,
      kind: 'link',
      name: 'https://e.example/1',
      url: 'https://e.example/1',
      source: 'report',
      addedAt: '2025-10-09T01:00:00.000Z',
    })
    .onConflictDoNothing();
};

const MATRIX: Row[] = [
  {
    template: '/help',
    own: ['admin', 'secretary', 'leader', 'owner', 'stranger'],
    other: ['admin', 'secretary', 'leader', 'owner', 'stranger'],
    success: /^您好！我是整改督办助手[\s\S]*命令前的“\/”可省略/,
  },
  { template: '/mine', own: ['admin', 'secretary', 'leader', 'owner'], other: ['admin', 'secretary', 'leader', 'owner'], success: /^【我负责的整改措施】/ },
  {
    template: '/show {code}',
    own: ['admin', 'secretary', 'leader', 'owner'],
    other: ['admin', 'secretary', 'leader'],
    success: /^【整改措施 (1\.2\.1|2\.1\.1)】/,
  },
  {
    template: '/report {code} 进展顺利',
    own: ['admin', 'secretary', 'owner'],
    other: ['admin', 'secretary'],
    success: /^已记录措施 (1\.2\.1|2\.1\.1) 的进展/,
    prepare: setStatus('in_progress'),
    effect: ({ code, openId, before, after }) => {
      const reports = added(before.reports, after.reports);
      expect(reports).toEqual([expect.objectContaining({ measureId: measureOf(after, code).id, text: '进展顺利' })]);
      expect(added(before.audit, after.audit)).toContainEqual({ actor: openId, action: 'report', measureId: measureOf(after, code).id });
    },
  },
  {
    template: '/done {code}',
    own: ['admin', 'secretary', 'owner'],
    other: ['admin', 'secretary'],
    success: /^已提交措施 (1\.2\.1|2\.1\.1) 的销号申请/,
    prepare: async (code) => {
      await setStatus('in_progress')(code);
      await withEvidence(code);
    },
    effect: ({ code, openId, before, after }) => {
      expect(measureOf(after, code).status).toBe('submitted');
      expect(added(before.audit, after.audit)).toContainEqual({ actor: openId, action: 'submit', measureId: measureOf(after, code).id });
    },
  },
  {
    template: '/evidence {code}',
    own: ['admin', 'secretary', 'leader', 'owner'],
    other: ['admin', 'secretary', 'leader'],
    success: /^请在 10 分钟内|^措施 (1\.2\.1|2\.1\.1) (还没有|的)佐证材料/,
    prepare: setStatus('in_progress'),
    effect: ({ code, openId, before, after }) => {
      // Those who may report on it get a session for it; a leader only sees the list.
      const opened = after.sessions.filter((x) => x.openId === openId);
      if (openId === 'ou_leader') expect(opened).toEqual(before.sessions.filter((x) => x.openId === openId));
      else expect(opened).toEqual([{ openId, measureId: measureOf(after, code).id }]);
    },
  },
  {
    template: '/waive {code} 制度已印发',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^已记录：措施 (1\.2\.1|2\.1\.1) 免于佐证/,
    prepare: setStatus('in_progress'),
    effect: ({ code, openId, after }) => {
      expect(after.waivers).toContainEqual({ measureId: measureOf(after, code).id, by: openId });
      expect(after.audit).toContainEqual({ actor: openId, action: 'evidence_waived', measureId: measureOf(after, code).id });
    },
  },
  {
    template: '/extend {code} 2025-12-31 人手不足',
    own: ['owner'],
    other: [],
    success: /^已提交措施 (1\.2\.1|2\.1\.1) 的延期申请/,
    effect: ({ code, before, after }) => {
      expect(added(before.extensions, after.extensions)).toEqual([
        expect.objectContaining({ measureId: measureOf(after, code).id, status: 'pending', due: '2025-12-31' }),
      ]);
    },
  },
  { template: '/due', own: ['admin', 'secretary', 'leader', 'owner'], other: ['admin', 'secretary', 'leader', 'owner'], success: /^【7 天内到期的措施】/ },
  { template: '/status', own: ['admin', 'secretary', 'leader'], other: ['admin', 'secretary', 'leader'], success: /^【整改进度统计】/ },
  { template: '/overdue', own: ['admin', 'secretary', 'leader'], other: ['admin', 'secretary', 'leader'], success: /^【逾期整改措施】/ },
  {
    template: '/verify {code}',
    own: ['admin', 'secretary', 'leader'],
    other: ['admin', 'secretary', 'leader'],
    success: /^措施 (1\.2\.1|2\.1\.1) 已销号，已通知责任人。/,
    prepare: setStatus('submitted'),
    effect: ({ code, openId, before, after }) => {
      expect(measureOf(after, code).status).toBe('closed');
      expect(added(before.audit, after.audit).map((a) => a.actor)).toContain(openId);
    },
  },
  {
    template: '/return {code} 材料不全',
    own: ['admin', 'secretary', 'leader'],
    other: ['admin', 'secretary', 'leader'],
    success: /^已退回措施 (1\.2\.1|2\.1\.1) 的销号申请/,
    prepare: setStatus('submitted'),
    effect: ({ code, openId, before, after }) => {
      expect(measureOf(after, code).status).toBe('returned');
      expect(added(before.audit, after.audit).map((a) => a.actor)).toContain(openId);
    },
  },
  {
    template: '/approve-extension {code}',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^已同意措施 (1\.2\.1|2\.1\.1) 延期，新的完成时限为 2025-12-31。/,
    prepare: (code) => pendingExtension(code),
    effect: ({ code, before, after }) => {
      expect(after.extensions.at(-1)).toMatchObject({ measureId: measureOf(after, code).id, status: 'approved' });
      expect(measureOf(after, code).due).toBe('2025-12-31');
      expect(measureOf(before, code).due).not.toBe('2025-12-31');
    },
  },
  {
    template: '/reject-extension {code} 不同意',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^已驳回措施 (1\.2\.1|2\.1\.1) 的延期申请。/,
    prepare: (code) => pendingExtension(code),
    effect: ({ code, after }) => {
      expect(after.extensions.at(-1)).toMatchObject({ measureId: measureOf(after, code).id, status: 'rejected' });
    },
  },
  { template: '/campaign', own: ['admin', 'secretary'], other: ['admin', 'secretary'], success: /^整改任务：/ },
  {
    template: '/summary',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^周报已发送到 1 个领导小组群。/,
    effect: ({ before, after }) => expect(added(before.created, after.created)).toEqual(['oc_leading_group:interactive']),
  },
  {
    template: '/export',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^“市委第二巡察组反馈意见整改”整改台账（截至2025-10-09，共12条措施）/,
    effect: ({ messageId, before, after }) => expect(added(before.files, after.files)).toEqual([messageId]),
  },
  {
    template: '/cancel-import',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^已取消导入“矩阵台账.xlsx”/,
    prepare: async (_code, openId) => {
      await db()
        .insert(pendingImports)
        .values({ openId, fileName: '矩阵台账.xlsx', campaignName: '矩阵', payload: '{}', createdAt: svc.deps.clock.now().toISOString() });
    },
    effect: ({ openId, after }) => expect(after.imports.at(-1)).toMatchObject({ openId, status: 'cancelled' }),
  },
  {
    template: '/bind-group',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^已将本群设为领导小组群/,
    chat: (text) => ({ text: `@_user_1 ${text}`, chatType: 'group', chatId: GROUP, mentions: [{ key: '@_user_1', openId: fake.botOpenId, type: 'bot' }] }),
    prepare: async () => {
      await db().delete(chatBindings).where(eq(chatBindings.chatId, GROUP));
    },
    effect: ({ openId, after }) => expect(after.bindings).toContainEqual({ chatId: GROUP, active: true, by: openId }),
  },
  {
    template: '/assign {code} ou_helper',
    own: ['admin', 'secretary'],
    other: ['admin', 'secretary'],
    success: /^已将措施 (1\.2\.1|2\.1\.1)的责任人设为 小帮手。/,
    effect: ({ code, after }) => expect(measureOf(after, code).owner).toBe(helperId),
  },
  {
    template: '/role ou_helper leader',
    own: ['admin'],
    other: ['admin'],
    success: /^已授予 小帮手“领导”角色。/,
    prepare: async () => {
      await db()
        .delete(personRoles)
        .where(and(eq(personRoles.personId, helperId), eq(personRoles.role, 'leader')));
    },
    effect: ({ before, after }) => {
      expect(before.roles).not.toContain(`${HELPER}:leader`);
      expect(after.roles).toContain(`${HELPER}:leader`);
    },
  },
];

let helperId: number;
let seeded: Array<{ code: string; status: State['measures'][number]['status']; ownerPersonId: number | null; dueDate: string | null }>;

async function pendingExtension(code: string) {
  const m = (await db().select().from(measures).where(eq(measures.code, code)))[0]!;
  await db().insert(extensionRequests).values({
    measureId: m.id,
    requestedBy: m.ownerPersonId,
    oldDueDate: m.dueDate,
    newDueDate: '2025-12-31',
    reason: '人手不足',
    createdAt: svc.deps.clock.now().toISOString(),
  });
}

/** The two measures back as seeded, no extension request open: every case starts from the same place. */
async function reset() {
  for (const m of seeded)
    await db().update(measures).set({ status: m.status, ownerPersonId: m.ownerPersonId, dueDate: m.dueDate }).where(eq(measures.code, m.code));
  await db().update(extensionRequests).set({ status: 'withdrawn' }).where(eq(extensionRequests.status, 'pending'));
}

describe('permission matrix: command x role x own / other department', () => {
  beforeAll(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock('2025-10-09T02:00:00.000Z'), env: { ADMIN_OPEN_IDS: 'ou_admin' } });
    await seedLedger(svc.deps.db, nationalDayLedger());
    seeded = await db()
      .select({ code: measures.code, status: measures.status, ownerPersonId: measures.ownerPersonId, dueDate: measures.dueDate })
      .from(measures)
      .where(inArray(measures.code, ['1.2.1', '2.1.1']));
    await db().insert(people).values({ openId: HELPER, name: '小帮手', createdAt: svc.deps.clock.now().toISOString() });
    helperId = (await personId(HELPER))!;
  });
  afterAll(async () => {
    await svc?.close();
    await fake?.stop();
  });

  for (const row of MATRIX) {
    for (const [scope, code, allowed] of [
      ['own', '1.2.1', row.own],
      ['other', '2.1.1', row.other],
    ] as const) {
      for (const actor of Object.keys(OPEN_IDS) as Actor[]) {
        const expected = allowed.includes(actor) ? 'allowed' : 'refused';
        const text = row.template.replace('{code}', code);
        it(`${text} by ${actor} (${scope}) is ${expected}`, async () => {
          const openId = OPEN_IDS[actor];
          await reset();
          await row.prepare?.(code, openId);
          const before = await stateOf();
          const c = await say(svc, fake, openId, text, row.chat?.(text) ?? {});
          const after = await stateOf();
          expect(c.replies.length, 'a reply').toBeGreaterThan(0);
          const reply = c.replies[0]!;
          if (expected === 'refused') {
            expect(reply).toMatch(DENIED);
            expect(after, 'a refused command changed nothing').toEqual(before);
            return;
          }
          expect(reply).not.toMatch(DENIED);
          expect(reply).toMatch(row.success);
          row.effect?.({ code, openId, messageId: c.messageId, before, after });
        });
      }
    }
  }
});
