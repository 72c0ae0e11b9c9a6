import { eq } from 'drizzle-orm';
import { describe, expect, it } from 'vitest';
import { auditLog, progressReports } from '../../db/schema.js';
import { renderedMarkup } from '../../cards/limits.js';
import { noticesTo, say } from '../helpers/chat.js';
import { useSeededService } from '../helpers/seeded-service.js';

// 2025-10-09 10:00 in Beijing, the first working day after the National Day holiday.
const NOW = '2025-10-09T02:00:00.000Z';

describe('daily use through chat', () => {
  const t = useSeededService({ now: NOW });
  const measure = t.measure;

  it('an owner lists their measures with countdowns in working days', async () => {
    const c = await say(t.svc, t.fake, 'ou_wang', '/mine');
    expect(c.cards).toHaveLength(1);
    const text = c.replies[0]!;
    for (const code of ['1.1.1', '1.1.2', '1.2.1']) expect(text).toContain(code);
    expect(text).not.toContain('2.1.1');
    expect(text).toContain('还剩 1 个工作日'); // 1.1.1 due Friday 10-10
    expect(text).toContain('已逾期 9 天'); // 1.1.2 due 09-30
  });

  it('an owner reports progress over several lines with a percentage, and the card shows it', async () => {
    const c = await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 已制定方案\n召开了专题会议 60%');
    expect(c.replies[0]).toContain('已记录措施 1.2.1 的进展，完成 60%');
    expect(c.replies[1]).toContain('整改措施 1.2.1');
    expect(c.replies[1]).toContain('召开了专题会议');
    const reports = await t.svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, t.ledger.measures['1.2.1']!));
    expect(reports).toHaveLength(1);
    expect(reports[0]!.text).toBe('已制定方案\n召开了专题会议');
    expect(reports[0]!.percent).toBe(60);
    const m = await measure('1.2.1');
    expect(m.percent).toBe(60);
    expect(m.status).toBe('in_progress');
    const audit = await t.svc.deps.db.select().from(auditLog).where(eq(auditLog.measureId, m.id));
    expect(audit.map((a) => a.action)).toEqual(['report']);
  });

  it('reads percentages in full-width digits and in words, and stores nothing for a refused one', async () => {
    expect((await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 方案已报批 ５０％')).replies[0]).toContain('完成 50%');
    expect((await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 已完成百分之八十')).replies[0]).toContain('完成 80%');
    expect((await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 整改进度六成')).replies[0]).toContain('完成 60%');
    const refused = await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 数据有误 -20%');
    expect(refused.replies[0]).toContain('0–100 的整数');
    const reports = await t.svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, t.ledger.measures['1.2.1']!));
    expect(reports.map((r) => [r.text, r.percent])).toEqual([
      ['方案已报批', 50],
      ['已完成', 80],
      ['整改进度', 60],
    ]);
    expect((await measure('1.2.1')).percent).toBe(60);
    // The reply states what was stored, 0% included.
    expect((await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 方案推倒重来 0%')).replies[0]).toContain('完成 0%');
    expect((await measure('1.2.1')).percent).toBe(0);
  });

  it('keeps a report of 2000 characters whole and refuses a longer one, storing nothing', async () => {
    const full = '改'.repeat(2000);
    await say(t.svc, t.fake, 'ou_wang', `/report 1.2.1 ${full}`);
    await say(t.svc, t.fake, 'ou_wang', `/report 1.2.1 ${full}多`);
    const reports = await t.svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, t.ledger.measures['1.2.1']!));
    expect(reports.map((r) => r.text)).toEqual([full]);
  });

  it('records one report when Feishu delivers the same command twice', async () => {
    const c = await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 第一次汇报');
    await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 第一次汇报', { messageId: c.messageId });
    const reports = await t.svc.deps.db.select().from(progressReports).where(eq(progressReports.measureId, t.ledger.measures['1.2.1']!));
    expect(reports).toHaveLength(1);
  });

  it('submit, return with a reason, resubmit and verify: the owner and verifiers hear of each step', async () => {
    // Closure needs evidence: a link in a report is one.
    await say(t.svc, t.fake, 'ou_wang', '/report 1.1.1 已召开专题会议 https://www.example.gov.cn/hy/1.html');
    expect((await say(t.svc, t.fake, 'ou_wang', '/done 1.1.1 材料已上传')).replies[0]).toContain('已提交措施 1.1.1 的销号申请');
    expect((await measure('1.1.1')).status).toBe('submitted');
    expect(noticesTo(t.fake, 'ou_secretary').join('\n')).toContain('申请为措施 1.1.1 销号，说明：材料已上传');
    expect(noticesTo(t.fake, 'ou_leader').join('\n')).toContain('1.1.1');

    expect((await say(t.svc, t.fake, 'ou_leader', '/return 1.1.1 缺少会议记录')).replies[0]).toContain('已退回');
    expect((await measure('1.1.1')).status).toBe('returned');
    expect(noticesTo(t.fake, 'ou_wang').join('\n')).toContain('原因：缺少会议记录');

    await say(t.svc, t.fake, 'ou_wang', '申请销号 1.1.1');
    const verified = await say(t.svc, t.fake, 'ou_leader', '销号 1.1.1');
    expect(verified.replies[0]).toContain('措施 1.1.1 已销号');
    const m = await measure('1.1.1');
    expect(m.status).toBe('closed');
    expect(m.verifiedBy).toBe('张书记');
    expect(noticesTo(t.fake, 'ou_wang').join('\n')).toContain('已通过审核，正式销号');

    const shown = await say(t.svc, t.fake, 'ou_secretary', '/show 1.1.1');
    const history = shown.replies[1]!;
    expect(history).toContain('缺少会议记录');
    expect(history).toContain('已销号');
  });

  it('an extension keeps both dates and notifies both sides', async () => {
    const asked = await say(t.svc, t.fake, 'ou_wang', '/extend 1.2.1 2025/11/30 需协调财务数据');
    expect(asked.replies[0]).toContain('2025-10-20 → 2025-11-30');
    expect(noticesTo(t.fake, 'ou_secretary').join('\n')).toContain('理由：需协调财务数据');
    await say(t.svc, t.fake, 'ou_secretary', '同意延期 1.2.1');
    const m = await measure('1.2.1');
    expect(m.dueDate).toBe('2025-11-30');
    expect(m.originalDueDate).toBe('2025-10-20');
    expect(noticesTo(t.fake, 'ou_wang').join('\n')).toContain('新的完成时限为 2025-11-30（原定 2025-10-20）');
    // The card follows the extension: the new date in the header, both dates in the body.
    const card = (await say(t.svc, t.fake, 'ou_wang', '/show 1.2.1')).replies[0]!.replaceAll('\\', '');
    expect(card.split('\n')[1]).toBe('办公室 · 截止 2025-11-30');
    expect(card).toContain('原定 2025-10-20，延期至 2025-11-30');
    expect(card).toContain('还剩 37 个工作日');

    await say(t.svc, t.fake, 'ou_wang', '/extend 1.1.1 10.31 人手不足');
    await say(t.svc, t.fake, 'ou_secretary', '/reject-extension 1.1.1 时间已很宽裕');
    expect((await measure('1.1.1')).dueDate).toBe('2025-10-10');
    expect(noticesTo(t.fake, 'ou_wang').join('\n')).toContain('原因：时间已很宽裕');
  });

  it('shows a closed measure as closed on the day it was verified, never as overdue', async () => {
    // 1.2.2 was due 08-29 and verified 09-10: it is done, not 41 days late.
    const card = (await say(t.svc, t.fake, 'ou_wang', '/show 1.2.2')).replies[0]!;
    expect(card).toContain('已销号（9月10日）');
    expect(card).not.toMatch(/逾期|还剩/);
    const mine = (await say(t.svc, t.fake, 'ou_wang', '/mine')).replies[0]!;
    expect(mine).toContain('已销号（9月10日）');
    const dept = (await say(t.svc, t.fake, 'ou_secretary', '/status 办公室')).replies[0]!;
    expect(dept).toContain('已销号（9月10日）');
  });

  it('the secretary sees the totals, the overdue list worst first and what falls due soon', async () => {
    const status = await say(t.svc, t.fake, 'ou_secretary', '/status');
    expect(status.replies[0]).toContain('25%'); // 3 of 12 closed
    expect(status.replies[0]).toContain('财务科');
    const overdue = (await say(t.svc, t.fake, 'ou_secretary', '/overdue')).replies[0]!;
    expect(overdue.indexOf('2.1.1')).toBeGreaterThan(-1);
    expect(overdue.indexOf('2.1.1')).toBeLessThan(overdue.indexOf('1.1.2')); // 13 days before 9 days
    expect(overdue).not.toContain('2.1.3'); // closed
    const due = (await say(t.svc, t.fake, 'ou_secretary', '/due 5')).replies[0]!;
    expect(due).toContain('1.1.1');
    expect(due).toContain('3.2.1');
    expect(due).not.toContain('1.2.1'); // 10-20 is 11 days away
    const dept = (await say(t.svc, t.fake, 'ou_secretary', '/status 人事科')).replies[0]!;
    expect(dept).toContain('3.1.2');
    expect(dept).not.toContain('1.1.1');
  });

  it('the secretary assigns an owner by @mention in a group, and a whole department by name', async () => {
    const group = 'oc_group_assign';
    const c = await say(t.svc, t.fake, 'ou_secretary', '@_user_1 /assign 3.2.1 @_user_2', {
      chatType: 'group',
      chatId: group,
      mentions: [
        { key: '@_user_1', openId: t.fake.botOpenId, type: 'bot' },
        { key: '@_user_2', openId: 'ou_newcomer', name: '周敏' },
      ],
    });
    expect(c.replies[0]).toContain('已将措施 3.2.1的责任人设为 周敏');
    expect(noticesTo(t.fake, 'ou_newcomer').join('\n')).toContain('3.2.1');
    const mine = await say(t.svc, t.fake, 'ou_newcomer', '/mine');
    expect(mine.replies[0]).toContain('3.2.1');

    const dept = await say(t.svc, t.fake, 'ou_secretary', '/assign 财务科 ou_newcomer');
    expect(dept.replies[0]).toContain('“财务科”的 4 项措施');
    expect((await measure('2.1.1')).ownerPersonId).toBe((await measure('3.2.1')).ownerPersonId);
  });

  it('finds measures by forgiving codes and suggests the nearest for unknown ones', async () => {
    expect((await say(t.svc, t.fake, 'ou_wang', '/show １-１-１')).replies[0]).toContain('整改措施 1.1.1');
    expect((await say(t.svc, t.fake, 'ou_wang', '/show 1、2、1')).replies[0]).toContain('整改措施 1.2.1');
    const unknown = await say(t.svc, t.fake, 'ou_wang', '/show 1.1.9');
    expect(unknown.replies[0]).toContain('没有找到编号为 1.1.9 的整改措施');
    expect(unknown.replies[0]).toContain('1.1.1');
  });

  it('shows user text as text: an @all in a report pings nobody and changes no card', async () => {
    const c = await say(t.svc, t.fake, 'ou_wang', '/report 1.2.1 <at id=all></at> 紧急 <at user_id="all"></at> [点我](https://evil.example)');
    // Markdown is where tags and links would come alive; user text there must be inert.
    const markup = c.cards.flatMap((card) => renderedMarkup(card)).join('\n');
    expect(markup).not.toMatch(/<at/);
    // The URL is kept as link evidence and shown as itself; the label typed around it never becomes a link.
    expect(markup).not.toContain('点我](');
    expect(markup).toContain('[https&#58;//evil.example](https://evil.example)');
    expect(JSON.stringify(c.cards)).toContain('紧急');
    await say(t.svc, t.fake, 'ou_wang', '/done 1.2.1 <at user_id="all">所有人</at>');
    for (const m of t.fake.sent()) {
      if (m.msgType === 'text') expect(m.content.text).not.toMatch(/<at/);
      else expect(renderedMarkup(m.content).join('\n')).not.toMatch(/<at/);
    }
    const notice = noticesTo(t.fake, 'ou_secretary').join('\n');
    expect(notice).toContain('＜at user_id="all"＞所有人＜/at＞');
  });

  it('answers malformed commands with what was wrong and the usage line', async () => {
    const cases: Array<[string, string]> = [
      ['/report', '请写上措施编号和进展内容。\n用法：/report ＜编号＞ ＜进展内容＞ [完成比例%]'],
      ['/report 1.2.1', '请写上进展内容。'],
      ['/report 1.2.1 做完了 150%', '无法记录完成比例“150%”：完成比例应为 0–100 的整数'],
      ['/report 1.2.1 做完了 -20%', '无法记录完成比例“-20%”：完成比例应为 0–100 的整数'],
      ['/report 1.2.1 做完了 50.5%', '无法记录完成比例“50.5%”'],
      ['/report 1.2.1 做完了 百分之一百五十', '无法记录完成比例“百分之一百五十”'],
      [`/report 1.2.1 ${'进'.repeat(2001)}`, '进展内容最多 2000 字，本次 2001 字'],
      ['/extend 1.2.1 9999-12-31 需要很久', '日期 9999-12-31 太远：完成时限应在今后 5 年内，即不晚于 2030-10-09。'],
      ['/extend 1.2.1 明天 原因', '无法识别日期“明天”'],
      ['/extend 1.2.1 2025-11-30', '请写明申请延期的理由。'],
      ['/extend 1.2.1 2025-02-30 原因', '无法识别日期“2025-02-30”'],
      ['/show', '请写上措施编号。'],
      ['/show abc', '“abc”不是有效的措施编号'],
      ['/due 多少', '天数应为 1 到 365 之间的整数。'],
    ];
    for (const [input, expected] of cases) {
      const c = await say(t.svc, t.fake, 'ou_wang', input);
      expect(c.replies[0], input).toContain(expected);
    }
  });

  it('explains to people not in the ledger whom to ask', async () => {
    const c = await say(t.svc, t.fake, 'ou_stranger', '/mine');
    expect(c.replies[0]).toContain('您还没有登记在整改台账中');
    expect(c.replies[0]).toContain('联系整改办');
  });
});
