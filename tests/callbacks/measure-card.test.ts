import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { measureFieldNames } from '../../cards/actions.js';
import { checkCardLimits } from '../../cards/limits.js';
import { measures, outbox, progressReports } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { pickedDate } from '../../src/dispatch/card-action-handlers/index.js';
import { noticesTo, readable, say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { cardActionEvent } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';

const NOW = '2025-10-09T02:00:00.000Z';
const allCards: unknown[] = [];

describe('measure cards: buttons through /feishu/events', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let ledger: SeededLedger;
  const measure = async (code: string) => (await svc.deps.db.select().from(measures).where(eq(measures.id, ledger.measures[code]!)))[0]!;

  /** Sends a card to a person with /show and returns the message id Feishu gave it. */
  async function cardFor(openId: string, code: string): Promise<string> {
    const c = await say(svc, fake, openId, `/show ${code}`);
    const sent = fake.sent('reply').find((m) => m.target === c.messageId && m.msgType === 'interactive')!;
    return sent.messageId;
  }

  async function click(openId: string, messageId: string, value: Record<string, unknown>, formValue?: Record<string, unknown>, eventId?: string) {
    const res = await svc.post(cardActionEvent({ openId, messageId, value, formValue, eventId }));
    expect(res.status).toBe(200);
    const body = (await res.json()) as { toast?: { type: string; content: string }; card?: { type: string; data: any } };
    if (body.card) allCards.push(body.card.data);
    await svc.settle();
    return body;
  }

  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock(NOW) });
    ledger = await seedLedger(svc.deps.db, nationalDayLedger());
  });
  afterEach(async () => {
    for (const m of fake.sent()) if (m.msgType === 'interactive' || m.kind === 'patch') allCards.push(m.content);
    await svc.close();
    await fake.stop();
  });

  it('an owner opens the report form and reports from the card alone', async () => {
    const m = await measure('1.2.1');
    const msg = await cardFor('ou_wang', '1.2.1');
    const opened = await click('ou_wang', msg, { action: 'measure.form', measureId: m.id, version: m.version, form: 'report' });
    expect(JSON.stringify(opened.card!.data)).toContain(measureFieldNames(m.id).reportText);

    const names = measureFieldNames(m.id);
    const done = await click(
      'ou_wang',
      msg,
      { action: 'measure.report', measureId: m.id, version: m.version },
      { [names.reportText]: '完成台账梳理\n下周整改', [names.reportPercent]: '40' },
    );
    expect(done.toast).toEqual({ type: 'success', content: '进展已记录' });
    expect(JSON.stringify(done.card!.data)).toContain('完成台账梳理');
    const after = await measure('1.2.1');
    expect(after.percent).toBe(40);
    const reports = await svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, m.id));
    expect(reports.map((r) => [r.text, r.source])).toEqual([['完成台账梳理\n下周整改', 'card']]);
  });

  it('a double click, and a repeated delivery, record one report', async () => {
    const m = await measure('1.2.1');
    const msg = await cardFor('ou_wang', '1.2.1');
    const names = measureFieldNames(m.id);
    const value = { action: 'measure.report', measureId: m.id, version: m.version };
    const form = { [names.reportText]: '只点一次' };
    await click('ou_wang', msg, value, form, 'ev_click_1');
    const again = await click('ou_wang', msg, value, form, 'ev_click_1');
    expect(again).toEqual({});
    const second = await click('ou_wang', msg, value, form, 'ev_click_2');
    expect(second.toast?.type).toBe('warning');
    expect(JSON.stringify(second.card!.data)).toContain('只点一次');
    const reports = await svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, m.id));
    expect(reports).toHaveLength(1);
  });

  it('refuses a tampered measure id, and someone who may not act, changing nothing', async () => {
    const own = await measure('1.2.1');
    const other = await measure('2.1.1');
    const msg = await cardFor('ou_wang', '1.2.1');
    const tampered = await click('ou_wang', msg, { action: 'measure.submit', measureId: other.id, version: other.version });
    expect(tampered.toast?.type).toBe('error');
    expect(JSON.stringify(tampered.card!.data)).toContain('整改措施 1.2.1');
    expect((await measure('2.1.1')).status).toBe(other.status);

    const intruder = await click('ou_zhao', msg, { action: 'measure.submit', measureId: own.id, version: own.version });
    expect(intruder.toast).toMatchObject({ type: 'error' });
    expect(intruder.toast!.content).toContain('不是措施 1.2.1 的责任人');
    expect((await measure('1.2.1')).status).toBe('in_progress');
  });

  it('submit from the card, verify from the leader card: every other card of the measure is updated', async () => {
    await say(svc, fake, 'ou_wang', '/report 1.1.1 制度已印发 https://www.example.gov.cn/zd/1.html');
    const m = await measure('1.1.1');
    const ownerCard = await cardFor('ou_wang', '1.1.1');
    const secretaryCard = await cardFor('ou_secretary', '1.1.1');
    const names = measureFieldNames(m.id);
    const submitted = await click(
      'ou_wang',
      ownerCard,
      { action: 'measure.submit', measureId: m.id, version: m.version },
      { [names.submitNote]: '已整改完毕' },
    );
    expect(submitted.toast?.content).toBe('已提交销号申请');
    expect((await measure('1.1.1')).status).toBe('submitted');
    // The secretary's card was patched in place; the owner's card is answered by the callback itself.
    // (The card that answered the /report before is patched too; the owner's clicked card is not.)
    const patches = fake.sent('patch');
    expect(patches.map((p) => p.target)).toContain(secretaryCard);
    expect(patches.map((p) => p.target)).not.toContain(ownerCard);
    expect(readable({ ...patches.find((p) => p.target === secretaryCard)!, msgType: 'interactive' })).toContain('通过销号');

    // The leader got a notice and a card with the verify button.
    const leaderCard = fake.sent('create').find((x) => x.target === 'ou_leader' && x.msgType === 'interactive')!;
    expect(readable(leaderCard)).toContain('[通过销号]');
    const v = (await measure('1.1.1')).version;
    const verified = await click('ou_leader', leaderCard.messageId, { action: 'measure.verify', measureId: m.id, version: v });
    expect(verified.toast?.content).toBe('已销号');
    expect((await measure('1.1.1')).status).toBe('closed');
    expect(noticesTo(fake, 'ou_wang').join('\n')).toContain('正式销号');
    const patchedTargets = fake.sent('patch').map((p) => p.target);
    expect(patchedTargets).toContain(ownerCard);
    expect(patchedTargets).toContain(secretaryCard);
  });

  it('a leader returns with a reason from the card form', async () => {
    await say(svc, fake, 'ou_wang', '/report 1.1.2 整改报告 https://www.example.gov.cn/bg/2.html');
    await say(svc, fake, 'ou_wang', '/done 1.1.2');
    const m = await measure('1.1.2');
    const leaderMsg = await cardFor('ou_leader', '1.1.2');
    const names = measureFieldNames(m.id);
    const missing = await click('ou_leader', leaderMsg, { action: 'measure.return', measureId: m.id, version: m.version }, {});
    expect(missing.toast).toEqual({ type: 'error', content: '请填写退回原因。' });
    const back = await click(
      'ou_leader',
      leaderMsg,
      { action: 'measure.return', measureId: m.id, version: m.version },
      { [names.returnReason]: '证明材料不足' },
    );
    expect(back.toast?.content).toBe('已退回');
    expect((await measure('1.1.2')).status).toBe('returned');
    expect(noticesTo(fake, 'ou_wang').join('\n')).toContain('证明材料不足');
  });

  it('an extension asked from the card is approved from the secretary card; both dates are kept', async () => {
    const m = await measure('1.2.1');
    const msg = await cardFor('ou_wang', '1.2.1');
    const names = measureFieldNames(m.id);
    const asked = await click(
      'ou_wang',
      msg,
      { action: 'measure.extend', measureId: m.id, version: m.version },
      { [names.extendDate]: '2025-11-30 +0800', [names.extendReason]: '需要协调第三方' },
    );
    expect(asked.toast?.type).toBe('success');
    const requestCard = fake.sent('create').find((x) => x.target === 'ou_secretary' && x.msgType === 'interactive')!;
    expect(readable(requestCard)).toContain('2025-11-30');
    const request = JSON.stringify(requestCard.content);
    const requestId = Number(/"requestId":(\d+)/.exec(request)![1]);

    const refused = await click('ou_wang', requestCard.messageId, { action: 'extension.approve', requestId, measureId: m.id, version: m.version });
    // the refusal itself, not any error (an apology would be one too)
    expect(refused.toast).toMatchObject({ type: 'error', content: expect.stringContaining('只有整改办可以审批延期申请') });
    expect((await measure('1.2.1')).dueDate).toBe('2025-10-20');

    const approved = await click('ou_secretary', requestCard.messageId, { action: 'extension.approve', requestId, measureId: m.id, version: m.version });
    expect(approved.toast?.content).toBe('已同意延期');
    const after = await measure('1.2.1');
    expect([after.dueDate, after.originalDueDate]).toEqual(['2025-11-30', '2025-10-20']);
    expect(fake.sent('patch').map((p) => p.target)).toContain(msg);
    const twice = await click('ou_secretary', requestCard.messageId, { action: 'extension.approve', requestId, measureId: m.id, version: m.version });
    expect(twice.toast?.content).toBe('该延期申请已处理。');
  });

  it('the secretary rejects an extension from the card with a reason; the due date stays', async () => {
    const m = await measure('1.1.1');
    await say(svc, fake, 'ou_wang', '/extend 1.1.1 2025-12-01 人手不足');
    const requestCard = fake.sent('create').find((x) => x.target === 'ou_secretary' && x.msgType === 'interactive')!;
    const requestId = Number(/"requestId":(\d+)/.exec(JSON.stringify(requestCard.content))![1]);
    const value = { action: 'extension.reject', requestId, measureId: m.id, version: m.version };
    const noReason = await click('ou_secretary', requestCard.messageId, value, {});
    expect(noReason.toast).toEqual({ type: 'error', content: '请填写驳回原因。' });
    const rejected = await click('ou_secretary', requestCard.messageId, value, { [`reject_reason_${requestId}`]: '时间充裕' });
    expect(rejected.toast?.content).toBe('已驳回延期申请');
    expect(readable({ msgType: 'interactive', content: rejected.card!.data } as never)).toContain('已驳回');
    expect((await measure('1.1.1')).dueDate).toBe('2025-10-10');
    expect(noticesTo(fake, 'ou_wang').join('\n')).toContain('原因：时间充裕');
  });

  it('a stale card (deadline changed meanwhile) answers with the current card and changes nothing', async () => {
    const m = await measure('1.2.1');
    const msg = await cardFor('ou_wang', '1.2.1');
    await say(svc, fake, 'ou_wang', '/extend 1.2.1 2025-12-15 需要更多时间');
    await say(svc, fake, 'ou_secretary', '/approve-extension 1.2.1');
    const stale = await click('ou_wang', msg, { action: 'measure.submit', measureId: m.id, version: m.version });
    expect(stale.toast?.type).toBe('warning');
    expect(JSON.stringify(stale.card!.data)).toContain('2025-12-15');
    expect((await measure('1.2.1')).status).toBe('in_progress');
  });

  it('the history button sends the record to the chat', async () => {
    const m = await measure('1.2.1');
    await say(svc, fake, 'ou_wang', '/report 1.2.1 第一次汇报');
    const msg = await cardFor('ou_wang', '1.2.1');
    const fresh = await measure('1.2.1');
    const r = await click('ou_wang', msg, { action: 'measure.history', measureId: m.id, version: fresh.version });
    expect(r.toast?.content).toBe('整改记录已发送');
    const hist = fake.sent('create').find((x) => x.msgType === 'interactive' && readable(x).includes('整改记录 1.2.1'));
    expect(hist).toBeDefined();
  });

  it('skips card updates older than the 14-day window instead of retrying forever', async () => {
    const m = await measure('1.2.1');
    await cardFor('ou_wang', '1.2.1');
    fake.failNext({ match: /PATCH/, status: 400, body: { code: 230031, msg: 'message too old to update' } });
    const secretary = await cardFor('ou_secretary', '1.2.1');
    await say(svc, fake, 'ou_wang', '/report 1.2.1 更新一下');
    const rows = await svc.deps.db.select().from(outbox).where(eq(outbox.kind, 'patch'));
    expect(rows.map((r) => r.status).sort()).toEqual(['sent', 'skipped']);
    const skipped = rows.find((r) => r.status === 'skipped')!;
    expect(skipped.attempts).toBe(1);
    expect([secretary, (await svc.deps.db.select().from(outbox).where(eq(outbox.id, skipped.id)))[0]!.receiveId]).toContain(skipped.receiveId);
    expect(m.code).toBe('1.2.1');
  });
});

describe('date picker values', () => {
  it('reads the picked date in the campaign zone, ignoring the client offset', () => {
    expect(pickedDate('2025-06-30 +0800')).toBe('2025-06-30');
    expect(pickedDate('2025-06-30 -0500')).toBe('2025-06-30');
    expect(pickedDate('2025-02-30 +0800')).toBeUndefined();
    expect(pickedDate('tomorrow')).toBeUndefined();
  });
});

describe('every card sent or answered in these tests', () => {
  it('is within the platform limits', () => {
    // Runs after the flows above (vitest runs the tests of a file in order).
    expect(allCards.length).toBeGreaterThan(10);
    const problems = allCards.flatMap((c, i) => checkCardLimits(c).map((v) => `#${i} ${v.rule} ${v.path}: ${v.message}`));
    expect(problems).toEqual([]);
  });
});
