/**
 * The lists and /status on a 20,000-measure ledger give exactly what a plain computation over
 * the generated rows gives: which measures, in which order, on which page, with which totals.
 * (How fast they are is measured by `npm run bench`, not here.)
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildList, type ListCommand } from '../../commands/lists.js';
import { loadActor, type Actor } from '../../db/queries/people.js';
import { getCampaign, pageLedgerMeasures, type CampaignRow } from '../../db/queries/measures-read.js';
import { createFixedClock } from '../../src/clock.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { previewCard } from '../../cards/preview.js';
import {
  campaignStats,
  countMeasures,
  measuresDueWithin,
  measuresOfGroup,
  myMeasures,
  overdueMeasures,
  type MeasureList,
} from '../../src/services/measure-views.js';
import { seedBigLedger, type BigLedger, type BigMeasure, type BigPerson } from '../helpers/big-ledger.js';
import { say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, tempDir, type TestService } from '../helpers/harness.js';
import { cardActionEvent } from '../helpers/payloads.js';

const TODAY = '2025-10-09';
const MEASURES = 20_000;
const PAGE = 10;

// ---- the expected answers, computed straight from the generated rows ----

const DAY_MS = 86_400_000;
const plusDays = (date: string, n: number) => new Date(Date.parse(`${date}T00:00:00Z`) + n * DAY_MS).toISOString().slice(0, 10);
const daysFrom = (a: string, b: string) => (Date.parse(`${b}T00:00:00Z`) - Date.parse(`${a}T00:00:00Z`)) / DAY_MS;

/** 1.9 before 1.10, 2.1 before 2.1.1; codes equal as numbers (1.01, 1.1) by their text. */
function byCode(a: { code: string }, b: { code: string }): number {
  const pa = a.code.split('.').map(Number);
  const pb = b.code.split('.').map(Number);
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    if (pa[i] === undefined) return -1;
    if (pb[i] === undefined) return 1;
    if (pa[i] !== pb[i]) return pa[i]! - pb[i]!;
  }
  return a.code < b.code ? -1 : a.code > b.code ? 1 : 0;
}
const byDueThenCode = (a: BigMeasure, b: BigMeasure) => (a.dueDate! < b.dueDate! ? -1 : a.dueDate! > b.dueDate! ? 1 : byCode(a, b));

const isOpen = (m: BigMeasure) => m.status !== 'closed' && m.status !== 'submitted';
const isDated = (m: BigMeasure) => m.kind !== 'ongoing' && m.kind !== 'immediate_ongoing' && m.dueDate !== null;
const codes = (ms: Array<{ code: string }>) => ms.map((m) => m.code);

function expected(ledger: BigLedger) {
  const current = ledger.measures.filter((m) => m.campaignId === ledger.campaignId && !m.missingFromSource);
  const owns = (p: BigPerson) => (m: BigMeasure) =>
    m.ownerPersonId === p.id || (p.roles.includes('owner') && p.departmentId !== null && m.departmentId === p.departmentId);
  const dueWithin = (days: number, pool = current) =>
    pool.filter((m) => isOpen(m) && isDated(m) && m.dueDate! >= TODAY && m.dueDate! <= plusDays(TODAY, days)).sort(byDueThenCode);
  return {
    current,
    overdue: current.filter((m) => isOpen(m) && isDated(m) && m.dueDate! < TODAY).sort(byDueThenCode),
    dueWithin,
    mine: (p: BigPerson) => current.filter(owns(p)).sort(byCode),
    mineDueWithin: (p: BigPerson, days: number) => dueWithin(days, current.filter(owns(p))),
    ofDepartment: (id: number) => current.filter((m) => m.departmentId === id).sort(byCode),
    ofCategory: (ordinal: number) => current.filter((m) => m.categoryOrdinal === ordinal).sort(byCode),
  };
}

/** The codes shown on a list card, in order, and its 共 N 项 / 第 x / y 页 lines. */
function readList(card: unknown) {
  const text = previewCard(card);
  return {
    codes: [...text.matchAll(/^\*\*([\d.]+)\*\*/gm)].map((m) => m[1]!),
    total: Number(/共 (\d+) 项/.exec(text)?.[1]),
    page: /第 (\d+) \/ (\d+) 页/.exec(text)?.slice(1).map(Number) ?? [1, 1],
    text,
  };
}

describe('lists and /status on a 20,000-measure ledger', () => {
  let dir: ReturnType<typeof tempDir>;
  let fake: FakeFeishu;
  let svc: TestService;
  let ledger: BigLedger;
  let want: ReturnType<typeof expected>;
  let campaign: CampaignRow;
  const person = (key: string) => ledger.people.find((p) => p.key === key)!;
  const actor = (key: string): Promise<Actor> => loadActor(svc.deps.db, person(key).openId!);

  /** The whole list in one read, through the same selection and order the pages use (without deadline states). */
  async function all(list: MeasureList) {
    const total = await countMeasures(svc.deps, list);
    return { total, codes: codes(await pageLedgerMeasures(svc.deps.db, { selection: list.selection, order: list.order, offset: 0, limit: total + PAGE })) };
  }

  async function page(who: Actor, command: ListCommand, filter: string | undefined, n: number) {
    const reply = await buildList(svc.deps, who, campaign, command, filter, n);
    if (reply.kind !== 'card') throw new Error('expected a card');
    return readList(reply.card);
  }

  /** Pages 1, 2, a middle one, the last and one past the last show their slice of `list`. */
  async function expectPages(who: Actor, command: ListCommand, filter: string | undefined, list: BigMeasure[]) {
    const pages = Math.max(1, Math.ceil(list.length / PAGE));
    for (const n of [...new Set([1, 2, Math.ceil(pages / 2), pages])]) {
      const shown = await page(who, command, filter, n);
      expect(shown.total, `${command} ${filter ?? ''} total`).toBe(list.length);
      expect(shown.codes, `${command} ${filter ?? ''} page ${n}`).toEqual(codes(list.slice((n - 1) * PAGE, n * PAGE)));
      if (pages > 1) expect(shown.page).toEqual([n, pages]);
    }
    expect((await page(who, command, filter, pages + 5)).codes).toEqual(codes(list.slice((pages - 1) * PAGE)));
  }

  beforeAll(async () => {
    dir = tempDir();
    const path = join(dir.path, 'duban.sqlite');
    openNodeDatabase(path).close();
    ledger = seedBigLedger(path, { measures: MEASURES, today: TODAY });
    want = expected(ledger);
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock(`${TODAY}T02:00:00.000Z`), databasePath: path });
    campaign = (await getCampaign(svc.deps.db, { campaignId: ledger.campaignId }))!;
  }, 120_000);

  afterAll(async () => {
    await svc?.close();
    await fake?.stop();
    dir?.remove();
  });

  it('generates a ledger with every case the lists must get right', () => {
    expect(want.current.length).toBeGreaterThan(19_000);
    expect(want.overdue.length).toBeGreaterThan(1000);
    const dueDays = new Set(want.overdue.map((m) => m.dueDate));
    expect(dueDays.size, 'overdue measures share due dates, so ties are broken by code').toBeLessThan(want.overdue.length / 10);
    expect(want.current.some((m) => m.code.split('.').length === 4)).toBe(true);
    expect(want.current.some((m) => /\.0\d/.test(m.code))).toBe(true);
    expect(want.current.some((m) => m.departmentId === null)).toBe(true);
    expect(new Set(want.current.map((m) => m.kind)).size).toBe(4);
    expect(new Set(want.current.map((m) => m.status)).size).toBe(5);
    expect(want.dueWithin(0).length).toBeGreaterThan(0);
  });

  it('/status counts every status, overdue and due-soon measure, per department', async () => {
    const closed = want.current.filter((m) => m.status === 'closed').length;
    const departments = [...new Set(want.current.map((m) => m.departmentId))].map((id) => {
      const ms = want.current.filter((m) => m.departmentId === id);
      const n = (f: (m: BigMeasure) => boolean) => ms.filter(f).length;
      return {
        departmentId: id,
        department: ledger.departments.find((d) => d.id === id)?.name ?? '未指定部门',
        total: ms.length,
        closed: n((m) => m.status === 'closed'),
        submitted: n((m) => m.status === 'submitted'),
        inProgress: n(isOpen),
        overdue: n((m) => isOpen(m) && isDated(m) && m.dueDate! < TODAY),
        rate: n((m) => m.status === 'closed') / ms.length,
      };
    });
    departments.sort((a, b) => (a.departmentId === null ? 1 : 0) - (b.departmentId === null ? 1 : 0) || a.department.localeCompare(b.department, 'zh-CN'));

    const stats = await campaignStats(svc.deps, ledger.campaignId);
    expect(stats).toEqual({
      campaignId: ledger.campaignId,
      today: TODAY,
      total: want.current.length,
      byStatus: Object.fromEntries(
        (['not_started', 'in_progress', 'submitted', 'closed', 'returned'] as const).map((s) => [s, want.current.filter((m) => m.status === s).length]),
      ),
      closed,
      completionRate: closed / want.current.length,
      overdueCount: want.overdue.length,
      unsetCount: want.current.filter((m) => isOpen(m) && m.kind === 'unset').length,
      dueNext7DaysCount: want.dueWithin(6).length,
      departments,
    });

    const c = await say(svc, fake, 'ou_leader', '/status');
    expect(c.replies[0]).toContain(`已销号 ${closed} / 共 ${want.current.length} 项`);
    expect(c.replies[0]).toMatch(new RegExp(`已逾期\\*\\*\\n<font color='red'>${want.overdue.length}</font>`));
    expect(c.replies[0]).toMatch(new RegExp(`7 日内到期\\*\\*\\n<font color='orange'>${want.dueWithin(6).length}</font>`));
  });

  it('/overdue lists open measures past due, longest overdue first, ties in code order', async () => {
    const leader = await actor('leader');
    expect(await all(overdueMeasures(svc.deps, leader, ledger.campaignId))).toEqual({ total: want.overdue.length, codes: codes(want.overdue) });
    await expectPages(leader, 'overdue', undefined, want.overdue);

    const c = await say(svc, fake, 'ou_leader', '/overdue');
    const first = readList(c.cards[0]);
    expect(first.codes).toEqual(codes(want.overdue.slice(0, PAGE)));
    expect(first.total).toBe(want.overdue.length);
    // The countdown of each row shown: calendar days since the due date.
    for (const m of want.overdue.slice(0, PAGE)) expect(first.text).toContain(`已逾期 ${daysFrom(m.dueDate!, TODAY)} 天`);

    const messageId = fake.sent('reply').find((m) => m.target === c.messageId && m.msgType === 'interactive')!.messageId;
    const res = await svc.post(cardActionEvent({ openId: 'ou_leader', messageId, value: { action: 'list.page', command: 'overdue', page: 37 } }));
    const body = (await res.json()) as { card: { data: unknown } };
    expect(readList(body.card.data).codes).toEqual(codes(want.overdue.slice(360, 370)));
  });

  it('/due N lists open dated measures due from today to N days on, soonest first', async () => {
    const leader = await actor('leader');
    for (const days of [1, 7, 30, 365]) {
      expect(await all(measuresDueWithin(svc.deps, leader, ledger.campaignId, days, false)), `/due ${days}`).toEqual({
        total: want.dueWithin(days).length,
        codes: codes(want.dueWithin(days)),
      });
    }
    await expectPages(leader, 'due', '365', want.dueWithin(365));
    const c = await say(svc, fake, 'ou_leader', '/due 365');
    expect(readList(c.cards[0]).total).toBe(want.dueWithin(365).length);
  });

  it('/due for an owner and /mine show only what the person owns, in code order', async () => {
    // owner0: owner role and a department; owner7: leader and owner; owner3: no role, only
    // assigned measures; owner14: owner role without a department.
    for (const key of ['owner0', 'owner7', 'owner3', 'owner14', 'leader']) {
      const p = person(key);
      const who = await actor(key);
      expect(await all(myMeasures(svc.deps, who, ledger.campaignId)), `/mine of ${key}`).toEqual({ total: want.mine(p).length, codes: codes(want.mine(p)) });
      expect(await all(measuresDueWithin(svc.deps, who, ledger.campaignId, 30, true)), `/due 30 of ${key}`).toEqual({
        total: want.mineDueWithin(p, 30).length,
        codes: codes(want.mineDueWithin(p, 30)),
      });
    }
    expect(want.mine(person('owner0')).length).toBeGreaterThan(PAGE * 3);
    expect(want.mine(person('owner3')).length).toBeGreaterThan(0);
    await expectPages(await actor('owner0'), 'mine', undefined, want.mine(person('owner0')));

    const mine = await say(svc, fake, 'ou_owner0', '/mine');
    expect(readList(mine.cards[0]).codes).toEqual(codes(want.mine(person('owner0')).slice(0, PAGE)));
    const due = await say(svc, fake, 'ou_owner0', '/due 30');
    expect(readList(due.cards[0]).total).toBe(want.mineDueWithin(person('owner0'), 30).length);
    expect(readList(due.cards[0]).text).toContain('仅显示我负责的措施');
  });

  it('an owner asking for the overdue list sees only their own overdue measures', async () => {
    const p = person('owner0');
    const mine = want
      .mine(p)
      .filter((m) => isOpen(m) && isDated(m) && m.dueDate! < TODAY)
      .sort(byDueThenCode);
    expect(await all(overdueMeasures(svc.deps, await actor('owner0'), ledger.campaignId))).toEqual({ total: mine.length, codes: codes(mine) });
  });

  it('/status <部门或类别> lists a department or a category in code order', async () => {
    const leader = await actor('leader');
    for (const d of ledger.departments) {
      const list = await measuresOfGroup(svc.deps, ledger.campaignId, d.name);
      expect(list.title).toBe(d.name);
      expect(await all(list), d.name).toEqual({ total: want.ofDepartment(d.id).length, codes: codes(want.ofDepartment(d.id)) });
    }
    const categories = ledger.categories.filter((c) => c.campaignId === ledger.campaignId);
    for (const c of categories) {
      // 第13类, not 13: a bare number that is part of a department's name (业务13科) names the department.
      const list = await measuresOfGroup(svc.deps, ledger.campaignId, `第${c.ordinal}类`);
      expect(await all(list), c.title).toEqual({ total: want.ofCategory(c.ordinal).length, codes: codes(want.ofCategory(c.ordinal)) });
    }
    const finance = ledger.departments.find((d) => d.name === '财务科')!;
    await expectPages(leader, 'status', '财务', want.ofDepartment(finance.id));
    const c = await say(svc, fake, 'ou_leader', '/status 3');
    expect(readList(c.cards[0]).codes).toEqual(codes(want.ofCategory(3).slice(0, PAGE)));

    const unknown = await say(svc, fake, 'ou_leader', '/status 不存在的部门');
    expect(unknown.replies[0]).toContain('没有找到部门或问题类别“不存在的部门”');
    expect(unknown.replies[0]).toContain('财务科');
  });
});
