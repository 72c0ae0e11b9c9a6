import { eq } from 'drizzle-orm';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { auditLog, measures } from '../../db/schema.js';
import { createFixedClock } from '../../src/clock.js';
import { say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger, type SeededLedger } from '../helpers/seed-ledger.js';

// 2025-10-09 10:00 in Beijing.
const NOW = '2025-10-09T02:00:00.000Z';

/** Measures whose source stated no deadline (时限待定) in the /status list, and /deadline setting them. */
describe('时限待定 and /deadline', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  let ledger: SeededLedger;
  const measure = async (code: string) => (await svc.deps.db.select().from(measures).where(eq(measures.id, ledger.measures[code]!)))[0]!;

  beforeEach(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock(NOW) });
    const spec = nationalDayLedger();
    spec.measures.push(
      { code: '1.2.3', text: '建立督办台账', department: '办公室', owner: 'wang', leader: 'leader', kind: 'unset', due: null },
      { code: '2.2.2', text: '规范报销流程', department: '财务科', owner: 'zhao', leader: 'leader', kind: 'unset', due: null },
      { code: '3.2.3', text: '完善考勤制度', department: '人事科', owner: 'sun', leader: 'leader', kind: 'unset', due: null },
      // closed: nothing left to set
      { code: '3.2.4', text: '清退借调人员', department: '人事科', owner: 'sun', leader: 'leader', kind: 'unset', due: null, status: 'closed' },
    );
    ledger = await seedLedger(svc.deps.db, spec);
  });
  afterEach(async () => {
    await svc.close();
    await fake.stop();
  });

  it('/status counts them and /status 时限待定 lists them; the card says 时限待定 and offers no extension', async () => {
    const status = await say(svc, fake, 'ou_secretary', '/status');
    expect(status.replies[0]).toMatch(/时限待定\D*3\b/);
    expect(JSON.stringify(status.cards[0])).toContain('查看时限待定');
    const list = await say(svc, fake, 'ou_secretary', '/status 时限待定');
    expect(list.replies[0]).toContain('共 3 项');
    expect(list.replies[0]).not.toContain('3.2.4');
    expect(list.replies[0]).toContain('1.2.3');
    expect(list.replies[0]).toContain('2.2.2');
    expect(list.replies[0]).not.toContain('1.1.1');
    const card = await say(svc, fake, 'ou_wang', '/show 1.2.3');
    expect(card.replies[0]).toContain('时限待定');
    expect(card.replies[0]).not.toContain('长期坚持');
    const extend = await say(svc, fake, 'ou_wang', '/extend 1.2.3 2025-12-31 需要更多时间');
    expect(extend.replies[0]).toContain('整改时限待定');
  });

  it('the secretary sets a date: the reply quotes it, the card shows it, the audit log keeps it', async () => {
    const c = await say(svc, fake, 'ou_secretary', '/deadline 1.2.3 2027-03-31');
    expect(c.replies[0]).toBe('已将措施 1.2.3 的整改时限设定为 2027-03-31。');
    expect(c.replies[1]).toContain('2027-03-31');
    expect(c.replies[1]).not.toContain('时限待定');
    expect(await measure('1.2.3')).toMatchObject({ deadlineKind: 'dated', deadlineText: '2027-03-31', dueDate: '2027-03-31', originalDueDate: '2027-03-31' });
    const audit = await svc.deps.db.select().from(auditLog).where(eq(auditLog.measureId, ledger.measures['1.2.3']!));
    expect(audit.map((a) => a.action)).toEqual(['deadline_set']);
    // One left to set.
    expect((await say(svc, fake, 'ou_secretary', '/status 时限待定')).replies[0]).toContain('共 2 项');
    // The Chinese alias, and an open kind.
    expect((await say(svc, fake, 'ou_secretary', '时限 2.2.2 长期坚持')).replies[0]).toBe('已将措施 2.2.2 的整改时限设定为 长期坚持。');
    expect(await measure('2.2.2')).toMatchObject({ deadlineKind: 'ongoing', deadlineText: '长期坚持', dueDate: null });
  });

  it('refuses an owner, a date beyond the 5-year limit and a word it cannot read, in Chinese, storing nothing', async () => {
    const owner = await say(svc, fake, 'ou_wang', '/deadline 1.2.3 2026-03-31');
    expect(owner.replies[0]).toMatch(/权限|整改办/);
    const far = await say(svc, fake, 'ou_secretary', '/deadline 1.2.3 2031-10-09');
    expect(far.replies[0]).toContain('完成时限应在今后 5 年内，即不晚于 2030-10-09');
    const unknown = await say(svc, fake, 'ou_secretary', '/deadline 1.2.3 尽快');
    expect(unknown.replies[0]).toContain('无法识别整改时限“尽快”');
    expect(await measure('1.2.3')).toMatchObject({ deadlineKind: 'unset', deadlineText: null, dueDate: null });
    expect(await svc.deps.db.select().from(auditLog).where(eq(auditLog.measureId, ledger.measures['1.2.3']!))).toEqual([]);
  });
});
