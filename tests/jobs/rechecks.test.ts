import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { recheckFieldNames, RECHECK_HOLD, RECHECK_REBOUND } from '../../cards/actions.js';
import { weeklySummaryText } from '../../cards/weekly-summary.card.js';
import { auditLog, jobRuns, measures, rechecks } from '../../db/schema.js';
import { addMonths } from '../../src/domain/dates.js';
import { runJob } from '../../src/jobs/index.js';
import { weeklySummaryView } from '../../src/jobs/weekly-summary.job.js';
import { workCalendarFor } from '../../src/services/calendar.js';
import { recheckDueDate } from '../../src/services/rechecks.js';
import { insertEvidence } from '../../db/queries/evidence.js';
import { recordRecheckHeld, recordRecheckRebound } from '../../db/queries/rechecks.js';
import { buildWeeklySummary } from '../../src/services/weekly-summary.js';
import { previewCard } from '../../cards/preview.js';
import { measureDetail } from '../../src/services/measure-views.js';
import { historyReply } from '../../src/views/history.view.js';
import { buttons } from '../helpers/card-query.js';
import { noticesTo, readable, say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu, type PostedMessage } from '../helpers/fake-feishu.js';
import { startTestService } from '../helpers/harness.js';
import { cardActionEvent } from '../helpers/payloads.js';
import { seedLedger, type SeededLedger, type SeedLedgerSpec } from '../helpers/seed-ledger.js';
import { nineAm, startSchedulerService } from './job-fixtures.js';

type Svc = Awaited<ReturnType<typeof startSchedulerService>>;

/** Closed on 2025-04-05 (Qingming); six months later is 2025-10-05, inside the National Day holiday (Oct 1–8). */
const CLOSED_ON = '2025-04-05';
const DUE_ON = '2025-10-09';
const TITLE = '措施 1.1.1 销号已满 6 个月，请确认整改成效是否巩固';

function ledger(): SeedLedgerSpec {
  return {
    now: '2025-03-01T01:00:00.000Z',
    departments: ['办公室', '财务科'],
    people: [
      { key: 'sec', name: '整改办李明', roles: ['secretary'] },
      { key: 'lead', name: '张书记', roles: ['leader'] },
      { key: 'lead2', name: '刘副书记', roles: ['leader'] },
      { key: 'wang', name: '王芳', department: '办公室', roles: ['owner'] },
      { key: 'zhao', name: '赵强', department: '财务科', roles: ['owner'] },
    ],
    measures: [
      { code: '1.1.1', text: '完善公务接待审批制度', department: '办公室', owner: 'wang', leader: 'lead', due: '2025-04-30', status: 'submitted' },
      { code: '1.1.2', text: '清理超标配置办公用房', department: '办公室', owner: 'wang', leader: 'lead', due: '2025-04-30', status: 'submitted' },
      { code: '2.1.1', text: '规范专项资金拨付流程', department: '财务科', owner: 'zhao', leader: 'lead', due: '2026-04-30' },
    ],
  };
}

describe('回头看: re-checking closed measures', () => {
  let fake: FakeFeishu;
  let svc: Svc;
  let seeded: SeededLedger;
  const measure = async (code: string) => (await svc.deps.db.select().from(measures).where(eq(measures.id, seeded.measures[code]!)))[0]!;
  const recheckCards = (to?: string) =>
    fake
      .sent('create')
      .filter((m) => m.msgType === 'interactive' && String(m.content?.header?.title?.content ?? '').includes('销号已满') && (!to || m.target === to));

  /** Closes a submitted measure the way a leader does: /verify in chat at `day` 10:00. */
  async function verifyOn(day: string, code: string, by = 'ou_lead') {
    svc.clock.set(new Date(`${day}T10:00:00+08:00`));
    const c = await say(svc, fake, by, `/verify ${code}`);
    expect(c.replies.join('\n')).toContain('销号');
    expect((await measure(code)).status).toBe('closed');
  }

  async function runOn(day: string) {
    svc.clock.set(nineAm(day));
    const outcome = await runJob(svc.deps, 'rechecks', { at: nineAm(day) });
    await svc.settle();
    return outcome;
  }

  async function click(openId: string, card: PostedMessage, action: string, formValue?: Record<string, unknown>) {
    const value = buttons(card.content).find((b) => (b.value as { action?: string } | undefined)?.action === action)!.value as Record<string, unknown>;
    const res = await svc.post(cardActionEvent({ openId, messageId: card.messageId, value, formValue }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { data: any } };
    await svc.settle();
    return body;
  }

  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startSchedulerService({ fake, at: CLOSED_ON });
    seeded = await seedLedger(svc.deps.db, ledger());
    await verifyOn(CLOSED_ON, '1.1.1');
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('falls due N calendar months after closure, on the first working day (after a holiday, at a month end)', () => {
    const calendar = workCalendarFor(svc.deps);
    expect(recheckDueDate(calendar, new Date(`${CLOSED_ON}T10:00:00+08:00`).toISOString(), 6)).toBe(DUE_ON);
    // A month without the day ends the count on its last day: 2025-08-31 + 6 months is 2026-02-28,
    // a Saturday, but a make-up working day (调休上班) after the Spring Festival, so it stays.
    expect(addMonths('2025-08-31', 6)).toBe('2026-02-28');
    expect(addMonths('2023-08-31', 6)).toBe('2024-02-29');
    expect(addMonths('2025-11-15', 3)).toBe('2026-02-15');
    expect(recheckDueDate(calendar, '2025-08-31T02:00:00.000Z', 6)).toBe('2026-02-28');
    // 2025-08-16 + 6 months is 2026-02-16, inside the Spring Festival holiday: the 24th, its first working day after.
    expect(recheckDueDate(calendar, '2025-08-16T02:00:00.000Z', 6)).toBe('2026-02-24');
    // Closed late in the evening in Beijing: the local date counts, not the UTC one.
    expect(recheckDueDate(calendar, '2025-06-09T17:00:00.000Z', 6)).toBe('2025-12-10');
  });

  it('sends the card on the due working day only, to the verifier and the owner, once', async () => {
    expect((await runOn('2025-09-30')).messages).toHaveLength(0);
    expect((await runOn('2025-10-05')).status).toBe('not_working_day');
    expect(recheckCards()).toHaveLength(0);

    const first = await runOn(DUE_ON);
    expect(first.status).toBe('done');
    expect(
      recheckCards()
        .map((m) => m.target)
        .sort(),
    ).toEqual(['ou_lead', 'ou_wang']);
    const card = recheckCards('ou_wang')[0]!;
    expect(card.content.header.title.content).toBe(TITLE);
    expect(JSON.stringify(card.content)).toContain('完善公务接待审批制度');
    expect(buttons(card.content).map((b) => b.label)).toEqual(['成效巩固', '出现反弹']);

    // The same day again (a second trigger), and a re-run after the period row was lost: nothing new.
    expect((await runOn(DUE_ON)).status).toBe('already_done');
    await svc.deps.db.delete(jobRuns);
    expect((await runOn(DUE_ON)).status).toBe('done');
    // The next working day: already sent.
    expect((await runOn('2025-10-10')).messages).toHaveLength(0);
    expect(recheckCards()).toHaveLength(2);
    expect(await svc.deps.db.select().from(rechecks)).toHaveLength(1);
  });

  it('sends once when two processes run the day together', async () => {
    svc.clock.set(nineAm(DUE_ON));
    const second = await startTestService({ fake, databasePath: svc.databasePath, clock: svc.clock });
    try {
      const outcomes = await Promise.all([runJob(svc.deps, 'rechecks', { at: nineAm(DUE_ON) }), runJob(second.deps, 'rechecks', { at: nineAm(DUE_ON) })]);
      // One claims the day; the other finds it taken (done, or still running).
      expect(outcomes.filter((o) => o.status === 'done')).toHaveLength(1);
      expect(outcomes.filter((o) => o.status === 'already_done' || o.status === 'busy')).toHaveLength(1);
      await svc.settle();
      await second.settle();
    } finally {
      await second.close(false);
    }
    expect(recheckCards()).toHaveLength(2);
  });

  it('catches up a re-check whose day the service missed, on the next working day', async () => {
    expect((await runOn('2025-10-10')).messages.map((m) => m.receiveId).sort()).toEqual(['ou_lead', 'ou_wang']);
    const [row] = await svc.deps.db.select().from(rechecks);
    expect(row).toMatchObject({ dueDate: DUE_ON, notifiedOn: '2025-10-10', verifierOpenId: 'ou_lead' });
  });

  it('成效巩固 from the card records who and when, and every copy of the card says so', async () => {
    await runOn(DUE_ON);
    svc.clock.set(new Date(`${DUE_ON}T15:00:00+08:00`));
    const answer = await click('ou_wang', recheckCards('ou_wang')[0]!, RECHECK_HOLD);
    expect(answer.toast).toEqual({ type: 'success', content: '已记录：整改成效巩固' });
    expect(JSON.stringify(answer.card!.data)).toContain('已确认整改成效巩固（王芳，10月9日）');
    const [row] = await svc.deps.db.select().from(rechecks);
    expect(row).toMatchObject({
      outcome: 'held',
      answeredBy: 'ou_wang',
      answeredByName: '王芳',
      answeredAt: new Date(`${DUE_ON}T15:00:00+08:00`).toISOString(),
    });
    expect((await measure('1.1.1')).status).toBe('closed');
    const leaderCard = recheckCards('ou_lead')[0]!;
    const patched = fake.sent('patch').filter((m) => m.target === leaderCard.messageId);
    expect(patched).toHaveLength(1);
    expect(JSON.stringify(patched[0]!.content)).toContain('已确认整改成效巩固');
    const audit = await svc.deps.db.select().from(auditLog).where(eq(auditLog.action, 'recheck_held'));
    expect(audit.map((a) => a.actor)).toEqual(['ou_wang']);

    // Pressed again, or the other button on the leader's older copy: nothing changes, and they are told why.
    const again = await click('ou_wang', recheckCards('ou_wang')[0]!, RECHECK_HOLD);
    expect(again.toast).toEqual({ type: 'info', content: '该回头看已由王芳于10月9日确认“成效巩固”，本次操作没有生效。' });
    const late = await click('ou_lead', leaderCard, RECHECK_REBOUND, { [recheckFieldNames(row!.id).reboundReason]: '又出现超标接待' });
    expect(late.toast?.type).toBe('info');
    expect(late.toast?.content).toContain('王芳');
    expect((await measure('1.1.1')).status).toBe('closed');
    expect(await svc.deps.db.select().from(auditLog).where(eq(auditLog.action, 'recheck_held'))).toHaveLength(1);
  });

  it('出现反弹 needs a reason, reopens the measure with it in the history, tells the secretary, and a new closure is re-checked again', async () => {
    await runOn(DUE_ON);
    const [row] = await svc.deps.db.select().from(rechecks);
    const reasonField = recheckFieldNames(row!.id).reboundReason;
    const leaderCard = recheckCards('ou_lead')[0]!;

    const empty = await click('ou_lead', leaderCard, RECHECK_REBOUND, { [reasonField]: '  ' });
    expect(empty.toast).toEqual({ type: 'error', content: '请填写反弹情况。' });
    expect((await measure('1.1.1')).status).toBe('closed');

    const done = await click('ou_lead', leaderCard, RECHECK_REBOUND, { [reasonField]: '9月又出现超标准接待两次' });
    expect(done.toast?.type).toBe('success');
    expect(JSON.stringify(done.card!.data)).toContain('9月又出现超标准接待两次');
    const reopened = await measure('1.1.1');
    expect(reopened).toMatchObject({ status: 'in_progress', verifiedAt: null });
    expect(await svc.deps.db.select().from(rechecks)).toMatchObject([{ outcome: 'rebounded', answeredBy: 'ou_lead', reason: '9月又出现超标准接待两次' }]);
    expect(noticesTo(fake, 'ou_sec').join('\n')).toContain('回头看：措施 1.1.1 出现反弹（张书记 报告），情况：9月又出现超标准接待两次');
    const history = historyReply(await measureDetail(svc.deps, reopened), svc.config.timezone);
    expect(history.kind === 'card' && previewCard(history.card)).toContain('回头看发现反弹：9月又出现超标准接待两次');
    expect(
      JSON.stringify(
        fake
          .sent('patch')
          .filter((m) => m.target === recheckCards('ou_wang')[0]!.messageId)
          .map((m) => m.content),
      ),
    ).toContain('出现反弹');

    // Closed again: a new re-check from the new closure, six months on.
    svc.clock.set(new Date('2025-10-20T10:00:00+08:00'));
    // Closure needs evidence: the new rules, as a link.
    await insertEvidence(svc.deps.db, {
      campaignId: seeded.campaignId,
      measureId: reopened.id,
      kind: 'link',
      name: '修订后的接待制度',
      url: 'https://example.gov.cn/zhidu-2025-10.html',
      source: 'report',
      addedByOpenId: 'ou_wang',
      addedAt: svc.clock.now().toISOString(),
    });
    await say(svc, fake, 'ou_wang', '/done 1.1.1 已重新整改');
    await verifyOn('2025-10-20', '1.1.1', 'ou_lead2');
    expect((await runOn('2026-04-20')).messages.map((m) => m.receiveId).sort()).toEqual(['ou_lead2', 'ou_wang']);
    expect(await svc.deps.db.select().from(rechecks)).toHaveLength(2);
  });

  it('refuses people who are neither verifier, owner nor secretary, and lets the secretary answer', async () => {
    await runOn(DUE_ON);
    const card = recheckCards('ou_wang')[0]!;
    const refused = await click('ou_zhao', card, RECHECK_HOLD);
    expect(refused.toast).toEqual({ type: 'error', content: '只有措施 1.1.1 的销号审核人、责任人或整改办可以确认回头看。' });
    expect((await svc.deps.db.select().from(rechecks))[0]!.outcome).toBeNull();
    const bySecretary = await click('ou_sec', card, RECHECK_HOLD);
    expect(bySecretary.toast?.type).toBe('success');
  });

  it('has one effect when the verifier and the owner press at the same moment', async () => {
    await runOn(DUE_ON);
    const [row] = await svc.deps.db.select().from(rechecks);
    const press = (openId: string, action: string, formValue?: Record<string, unknown>) => {
      const card = recheckCards(openId)[0]!;
      const value = buttons(card.content).find((b) => (b.value as { action?: string }).action === action)!.value as Record<string, unknown>;
      return svc
        .post(cardActionEvent({ openId, messageId: card.messageId, value, formValue }))
        .then((r) => r.json() as Promise<{ toast: { type: string; content: string } }>);
    };
    const [held, rebound] = await Promise.all([
      press('ou_wang', RECHECK_HOLD),
      press('ou_lead', RECHECK_REBOUND, { [recheckFieldNames(row!.id).reboundReason]: '出现反弹' }),
    ]);
    await svc.settle();
    const types = [held.toast.type, rebound.toast.type].sort();
    expect(types).toEqual(['info', 'success']);
    const [after] = await svc.deps.db.select().from(rechecks);
    const status = (await measure('1.1.1')).status;
    if (after!.outcome === 'held') {
      expect(held.toast.type).toBe('success');
      expect(rebound.toast.content).toContain('确认“成效巩固”');
      expect(status).toBe('closed');
    } else {
      expect(rebound.toast.type).toBe('success');
      expect(held.toast.content).toContain('报告“出现反弹”');
      expect(status).toBe('in_progress');
    }
    // the verification, and one answer
    expect(await svc.deps.db.select().from(auditLog).where(eq(auditLog.measureId, seeded.measures['1.1.1']!))).toHaveLength(2);
  });

  it('an answer computed from a stale read applies nothing: the guarded statements decide', async () => {
    await runOn(DUE_ON);
    const [row] = await svc.deps.db.select().from(rechecks);
    const m = await measure('1.1.1');
    const at = svc.clock.now().toISOString();
    const held = await recordRecheckHeld(svc.deps.db, { recheckId: row!.id, actor: 'ou_wang', actorName: '王芳', at });
    expect(held?.outcome).toBe('held');
    // Both callers read the re-check unanswered; the second one's statements find it answered.
    expect(await recordRecheckHeld(svc.deps.db, { recheckId: row!.id, actor: 'ou_lead', actorName: '张书记', at })).toBeUndefined();
    const rebound = {
      recheckId: row!.id,
      actor: 'ou_lead',
      actorName: '张书记',
      at,
      measureId: m.id,
      closedAt: m.verifiedAt!,
      reason: '反弹',
      note: '回头看发现反弹：反弹',
    };
    expect(await recordRecheckRebound(svc.deps.db, rebound)).toBeUndefined();
    expect((await measure('1.1.1')).status).toBe('closed');
    expect(await svc.deps.db.select().from(rechecks)).toMatchObject([{ outcome: 'held', answeredBy: 'ou_wang' }]);
    expect((await svc.deps.db.select().from(auditLog)).map((a) => a.action).sort()).toEqual(['recheck_held', 'verify']);
  });

  it('the weekly summary counts re-checks awaiting an answer and measures reopened in the week', async () => {
    await verifyOn(CLOSED_ON, '1.1.2');
    await runOn(DUE_ON);
    const [first] = (await svc.deps.db.select().from(rechecks)).filter((r) => r.measureId === seeded.measures['1.1.1']);
    await click('ou_lead', recheckCards('ou_lead').find((m) => JSON.stringify(m.content).includes('1.1.1'))!, RECHECK_REBOUND, {
      [recheckFieldNames(first!.id).reboundReason]: '制度未执行',
    });
    const s = await buildWeeklySummary(svc.deps, { campaignId: seeded.campaignId, at: nineAm('2025-10-13') });
    expect(s.rechecks).toEqual({ awaiting: 1, reopened: 1 });
    expect(weeklySummaryText(weeklySummaryView(s, false))).toContain('回头看：待确认整改成效 1 项；本周出现反弹、恢复整改 1 项。');
    // A week later the reopening is no longer "this week".
    expect((await buildWeeklySummary(svc.deps, { campaignId: seeded.campaignId, at: nineAm('2025-10-20') })).rechecks).toEqual({ awaiting: 1, reopened: 0 });
    expect(readable(recheckCards('ou_wang')[0]!)).toContain('销号已满');
  });
});

describe('回头看 turned off', () => {
  it('sends nothing with RECHECK_AFTER_MONTHS=0', async () => {
    const fake = await startFakeFeishu();
    const svc = await startSchedulerService({ fake, at: DUE_ON, env: { RECHECK_AFTER_MONTHS: '0' } });
    try {
      await seedLedger(svc.deps.db, {
        people: [{ key: 'wang', roles: ['owner'] }],
        measures: [{ code: '1.1.1', owner: 'wang', status: 'closed', verifiedAt: '2025-01-02T02:00:00.000Z' }],
      });
      expect((await runJob(svc.deps, 'rechecks', { at: nineAm(DUE_ON) })).messages).toHaveLength(0);
    } finally {
      await svc.close();
      await fake.stop();
    }
  });
});
