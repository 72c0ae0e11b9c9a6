import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createFixedClock } from '../../src/clock.js';
import { say } from '../helpers/chat.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { startTestService, type TestService } from '../helpers/harness.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';

/**
 * Every command, run by every role, on a measure of the actor's own department and on one of
 * another department. The expectations are written out by hand: this table is the policy.
 * 1.2.1 belongs to 办公室 (owner 王芳 = ou_wang); 2.1.1 belongs to 财务科 (owner 赵强 = ou_zhao).
 */

type Actor = 'admin' | 'secretary' | 'leader' | 'owner' | 'stranger';
const OPEN_IDS: Record<Actor, string> = { admin: 'ou_admin', secretary: 'ou_secretary', leader: 'ou_leader', owner: 'ou_wang', stranger: 'ou_stranger' };

// The refusals the service gives; a state error ("only submitted measures can be returned") is not one.
const DENIED = /没有使用|不在您的职责范围|您不是措施|只有领导或整改办|只有整改办|的责任人可以申请延期/;

// [command template, actors allowed on their own department's measure, actors allowed on another department's]
// {code} is 1.2.1 for "own" and 2.1.1 for "other"; for roles without a department "own" and "other" are the same.
const MATRIX: Array<[string, Actor[], Actor[]]> = [
  ['/help', ['admin', 'secretary', 'leader', 'owner', 'stranger'], ['admin', 'secretary', 'leader', 'owner', 'stranger']],
  ['/mine', ['admin', 'secretary', 'leader', 'owner'], ['admin', 'secretary', 'leader', 'owner']],
  ['/show {code}', ['admin', 'secretary', 'leader', 'owner'], ['admin', 'secretary', 'leader']],
  ['/report {code} 进展顺利', ['admin', 'secretary', 'owner'], ['admin', 'secretary']],
  ['/done {code}', ['admin', 'secretary', 'owner'], ['admin', 'secretary']],
  ['/extend {code} 2025-12-31 人手不足', ['owner'], []],
  ['/due', ['admin', 'secretary', 'leader', 'owner'], ['admin', 'secretary', 'leader', 'owner']],
  ['/status', ['admin', 'secretary', 'leader'], ['admin', 'secretary', 'leader']],
  ['/overdue', ['admin', 'secretary', 'leader'], ['admin', 'secretary', 'leader']],
  ['/verify {code}', ['admin', 'secretary', 'leader'], ['admin', 'secretary', 'leader']],
  ['/return {code} 材料不全', ['admin', 'secretary', 'leader'], ['admin', 'secretary', 'leader']],
  ['/approve-extension {code}', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/reject-extension {code} 不同意', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/campaign', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/summary', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/export', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/cancel-import', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/bind-group', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/assign {code} ou_helper', ['admin', 'secretary'], ['admin', 'secretary']],
  ['/role ou_helper leader', ['admin'], ['admin']],
];

describe('permission matrix: command x role x own / other department', () => {
  let fake: FakeFeishu;
  let svc: TestService;
  beforeAll(async () => {
    fake = await startFakeFeishu();
    svc = await startTestService({ fake, clock: createFixedClock('2025-10-09T02:00:00.000Z'), env: { ADMIN_OPEN_IDS: 'ou_admin' } });
    await seedLedger(svc.deps.db, nationalDayLedger());
  });
  afterAll(async () => {
    await svc.close();
    await fake.stop();
  });

  for (const [template, ownAllowed, otherAllowed] of MATRIX) {
    for (const [scope, code, allowed] of [['own', '1.2.1', ownAllowed], ['other', '2.1.1', otherAllowed]] as const) {
      for (const actor of Object.keys(OPEN_IDS) as Actor[]) {
        const expected = allowed.includes(actor) ? 'allowed' : 'denied';
        it(`${template.replace('{code}', code)} by ${actor} (${scope}) is ${expected}`, async () => {
          const c = await say(svc, fake, OPEN_IDS[actor], template.replace('{code}', code));
          expect(c.replies.length).toBeGreaterThan(0);
          const denied = DENIED.test(c.replies[0]!);
          expect(denied ? 'denied' : 'allowed', c.replies[0]).toBe(expected);
        });
      }
    }
  }
});
