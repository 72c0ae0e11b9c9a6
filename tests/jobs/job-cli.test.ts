import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { getJobRun } from '../../db/queries/job-runs.js';
import { jobRuns, kv, outbox } from '../../db/schema.js';
import { openNodeDatabase } from '../../src/entry.node.js';
import { startFakeFeishu, type FakeFeishu } from '../helpers/fake-feishu.js';
import { tempDir } from '../helpers/harness.js';
import { TEST_ENCRYPT_KEY, TEST_VERIFICATION_TOKEN } from '../helpers/payloads.js';
import { nationalDayLedger, seedLedger } from '../helpers/seed-ledger.js';
import { holidayReminderLedger } from './job-fixtures.js';

const ROOT = join(import.meta.dirname, '..', '..');
const TSX = join(ROOT, 'node_modules', '.bin', 'tsx');

function runCli(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      TSX,
      ['scripts/job.ts', ...args],
      { cwd: ROOT, env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 60_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

describe('npm run job', () => {
  let dir: ReturnType<typeof tempDir>;
  let databasePath: string;
  beforeEach(async () => {
    dir = tempDir();
    databasePath = join(dir.path, 'duban.sqlite');
    const database = openNodeDatabase(databasePath);
    await seedLedger(database.db, holidayReminderLedger());
    database.close();
  });
  afterEach(() => dir.remove());

  async function tableCounts() {
    const database = openNodeDatabase(databasePath);
    try {
      return {
        jobRuns: (await database.db.select().from(jobRuns)).length,
        outbox: (await database.db.select().from(outbox)).length,
        kv: (await database.db.select().from(kv)).length,
      };
    } finally {
      database.close();
    }
  }

  it('--dry-run prints readable reminders for the secretary and writes nothing', async () => {
    const r = await runCli(['reminders', '--at', '2025-09-29T09:00:00+08:00', '--dry-run'], { DATABASE_PATH: databasePath });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('【演练】reminders:2025-09-29');
    expect(r.stdout).toContain('以下内容不会发送，也不会写入数据库。');
    expect(r.stdout).toContain('发给 王芳');
    expect(r.stdout).toContain('【整改事项提醒 · 9月29日】');
    expect(r.stdout).toMatch(/- 1\.1\.1 完善公务接待审批制度\n\s+办公室 · 还剩 3 个工作日/);
    expect(r.stdout).not.toContain('**');
    expect(r.stdout).not.toContain('{"schema"');
    expect(await tableCounts()).toEqual({ jobRuns: 0, outbox: 0, kv: 0 });
  });

  it('--dry-run on a holiday says so', async () => {
    const r = await runCli(['reminders', '--at=2025-10-03T09:00:00+08:00', '--dry-run'], { DATABASE_PATH: databasePath });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('2025-10-03 不是工作日（国庆节、中秋节），不发送提醒。');
  });

  it('--dry-run shows the weekly summary with its table and trend', async () => {
    const database = openNodeDatabase(databasePath);
    await seedLedger(database.db, { ...nationalDayLedger(), campaign: { name: '第二轮整改' }, leadingGroupChats: ['oc_group'] });
    database.close();
    const r = await runCli(['weekly-summary', '--at', '2025-10-13T09:00:00+08:00', '--dry-run'], { DATABASE_PATH: databasePath });
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('发给 群 oc_group（第二轮整改）');
    expect(r.stdout).toContain('完成率 25.0%（较上周提高 8.3 个百分点）');
    expect(r.stdout).toContain('部门 | 总数 | 已销号 | 推进中 | 逾期 | 完成率');
    expect(r.stdout).toContain('办公室 | 4 | 1 | 3 | 2 | 25.0%');
    expect(r.stdout).toContain('[图表：完成率走势（%）] 9月1日 0');
    expect(await tableCounts()).toEqual({ jobRuns: 0, outbox: 0, kv: 0 });
  });

  it('rejects a bad job name or time with the usage line (exit 2)', async () => {
    const r = await runCli(['remind', '--dry-run'], { DATABASE_PATH: databasePath });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('unknown job "remind"');
    expect(r.stderr).toContain('usage: npm run job -- <reminders|weekly-summary|rechecks>');
    const t = await runCli(['reminders', '--at', 'yesterday'], { DATABASE_PATH: databasePath });
    expect(t.code).toBe(2);
    expect(t.stderr).toContain('--at expects an ISO date-time');
  });

  describe('delivering through Feishu', () => {
    let fake: FakeFeishu;
    beforeEach(async () => {
      fake = await startFakeFeishu();
    });
    afterEach(async () => {
      await fake.stop();
    });
    const feishuEnv = () => ({
      FEISHU_APP_ID: fake.appId,
      FEISHU_APP_SECRET: fake.appSecret,
      FEISHU_BASE_URL: fake.url,
      FEISHU_ENCRYPT_KEY: TEST_ENCRYPT_KEY,
      FEISHU_VERIFICATION_TOKEN: TEST_VERIFICATION_TOKEN,
    });

    it('delivers, records message ids, exits 0, and does not run the day again', async () => {
      const env = { DATABASE_PATH: databasePath, ...feishuEnv() };
      const r = await runCli(['reminders', '--at', '2025-09-29T09:00:00+08:00'], env);
      expect(r.stderr).toBe('');
      expect(r.code).toBe(0);
      expect(r.stdout).toContain('✓ 已送达 王芳');
      expect(fake.sent('create').map((m) => m.target)).toEqual(['ou_wang']);
      const database = openNodeDatabase(databasePath);
      const run = await getJobRun(database.db, 'reminders:2025-09-29');
      database.close();
      expect(run?.status).toBe('done');
      expect((run!.summary as { recipients: Array<{ messageId: string }> }).recipients[0]!.messageId).toBe(fake.sent()[0]!.messageId);

      const again = await runCli(['reminders', '--at', '2025-09-29T18:00:00+08:00'], env);
      expect(again.code).toBe(0);
      expect(again.stdout).toContain('reminders:2025-09-29 已执行过，本次不再发送。');
      expect(fake.sent()).toHaveLength(1);
    });

    it('exits 1 when a message cannot be delivered, after trying the text version', async () => {
      fake.failNext({
        match: /POST \/open-apis\/im\/v1\/messages/,
        status: 400,
        body: { code: 230002, msg: 'Bot/User can NOT be out of the chat.' },
        times: 2,
      });
      const r = await runCli(['reminders', '--at', '2025-09-29T09:00:00+08:00'], { DATABASE_PATH: databasePath, ...feishuEnv() });
      expect(r.code).toBe(1);
      expect(r.stdout).toContain('✗ 未送达 王芳');
      expect(fake.requests.filter((q) => q.method === 'POST' && q.path === '/open-apis/im/v1/messages').map((q) => q.body.msg_type)).toEqual([
        'interactive',
        'text',
      ]);
    });
  });
});
