/**
 * The whole story in real Chromium, against the service as `npm start` runs it (the built
 * bundle, local mode, a fresh database): load the sample ledger, 整改办 assigns two measures, a
 * 责任人 opens 我的 and reports 60 % through the card form, applies for closure, the 领导
 * verifies from the card, and the weekly summary arrives in the leading group with its chart.
 * Assertions are on what the page renders; a phone-width screenshot of every step is saved
 * under test-output/playground/.
 *
 * Needs a Chromium: CHROMIUM_PATH, or Debian's /usr/bin/chromium (`apt-get install chromium
 * fonts-noto-cjk`). Without one the file prints one line and skips.
 */
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Locator, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeFeishu } from '../helpers/fake-feishu.js';
import { tempDir } from '../helpers/harness.js';
import { feishuProcessEnv, freePort, startNodeProcess, type NodeProcess } from '../helpers/node-process.js';

/** Closure needs evidence (佐证材料): the report form's link field records this as link evidence. */
const EVIDENCE_URL = 'https://zgh.example.cn/zhidu/huiji-guanli.pdf';

const CHROMIUM = (process.env.CHROMIUM_PATH ? [process.env.CHROMIUM_PATH] : ['/usr/bin/chromium', '/usr/bin/chromium-browser']).find((p) => existsSync(p));
if (!CHROMIUM) {
  const looked = process.env.CHROMIUM_PATH ? `CHROMIUM_PATH=${process.env.CHROMIUM_PATH} does not exist` : 'no /usr/bin/chromium';
  console.log(`playground browser test skipped: ${looked} (apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH)`);
}

const OUT = 'test-output/playground';

/** The first Monday at least `days` days from now, 09:00 Beijing time, as a datetime-local value. */
function mondayAfter(days: number): string {
  const t = new Date(Date.now() + 8 * 3600_000 + days * 86_400_000);
  t.setUTCDate(t.getUTCDate() + ((8 - t.getUTCDay()) % 7));
  return `${t.toISOString().slice(0, 10)}T09:00`;
}
const WAIT = 20_000;

describe.skipIf(!CHROMIUM)('the playground in Chromium at phone width', () => {
  let dir: ReturnType<typeof tempDir> | undefined;
  let service: NodeProcess;
  let browser: Browser;
  let page: Page;
  let port: number;
  let step = 0;

  beforeAll(async () => {
    rmSync(OUT, { recursive: true, force: true });
    mkdirSync(OUT, { recursive: true });
    dir = tempDir('duban-playground-');
    port = await freePort();
    // Local mode: no Feishu variables at all, exactly as a fresh clone runs `npm start`.
    service = await startNodeProcess({ DATABASE_PATH: join(dir.path, 'duban.sqlite'), LOG_LEVEL: 'info' }, port);
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    page = await browser.newPage({ viewport: { width: 375, height: 812 }, locale: 'zh-CN' });
    page.setDefaultTimeout(WAIT);
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(`http://127.0.0.1:${port}/playground`);
    expect(errors).toEqual([]);
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    service?.child.kill('SIGKILL');
    await service?.exited();
    dir?.remove();
  });

  /** A screenshot of the page as it is, with `focus` (when given) scrolled to the top of the chat. */
  const shot = async (name: string, focus?: Locator) => {
    step += 1;
    if (focus) await focus.evaluate((el) => el.scrollIntoView({ block: 'start' }));
    await page.screenshot({ path: `${OUT}/${String(step).padStart(2, '0')}-${name}.png` });
  };
  const chat = (name: string) => page.locator(`[data-testid="chat"][data-chat="${name}"]`);
  const messages = (from?: string) => page.locator(from ? `[data-testid="message"][data-from="${from}"]` : '[data-testid="message"]');
  /** The bot's messages holding a card, in the open chat. */
  const botCards = () => messages('bot').filter({ has: page.getByTestId('card') });
  /** The bot's card message in the open chat whose text contains `text` (the last such). */
  const botCard = (text: string) => botCards().filter({ hasText: text }).last();
  /** That message from now on, by its id, whatever its card turns into. */
  async function pinned(message: Locator): Promise<Locator> {
    await message.waitFor();
    return page.locator(`[data-testid="message"][data-id="${await message.getAttribute('data-id')}"]`);
  }

  async function openChat(name: string) {
    if (await page.locator('.pg-back').isVisible()) await page.locator('.pg-back').click();
    await chat(name).click();
    await expect.poll(() => page.locator('.pg-chat-head b').textContent()).toBe(name);
  }

  async function say(text: string) {
    await page.getByTestId('composer').fill(text);
    await page.getByTestId('send').click();
  }

  /** Waits until the message's card revision moved past `before` (it was updated in place). */
  async function updatedInPlace(card: Locator, before: string | null) {
    await expect.poll(() => card.getAttribute('data-revision'), { timeout: WAIT }).not.toBe(before);
  }

  async function toastSaying(text: string) {
    await page.getByTestId('toast').filter({ hasText: text }).first().waitFor();
  }

  it('plays the whole story', async () => {
    // The cast's private chats and the leading group, set up through the bot's own commands.
    await expect.poll(() => page.getByTestId('chat').count()).toBe(6);
    await expect
      .poll(() => page.locator('[data-testid="cast"] option').allTextContents())
      .toEqual(expect.arrayContaining(['周立明（管理员）', '陈静（整改办）', '张建国（领导（党组书记））']));
    await openChat('整改工作领导小组');
    await messages('bot').filter({ hasText: '已将本群设为领导小组群' }).waitFor();
    await expect(messages('陈静').filter({ hasText: '设为周报群' }).count()).resolves.toBe(1);
    await shot('leading-group');

    // The sample: 整改办 sends the ledger file and confirms on the preview card.
    await openChat('陈静');
    await page.getByTestId('sample').click();
    await toastSaying('已导入 43 项整改措施');
    const sampleFile = messages('陈静').filter({ hasText: '虎林市总工会巡察整改台账（示例）.xlsx' });
    const [download] = await Promise.all([page.waitForEvent('download'), sampleFile.getByTestId('download').click()]);
    expect(download.suggestedFilename()).toBe('虎林市总工会巡察整改台账（示例）.xlsx');
    const preview = botCard('导入预览');
    await preview.filter({ hasText: '已确认导入' }).waitFor();
    await expect(preview.textContent()).resolves.toContain('43');
    await shot('sample-imported', preview);

    // 整改办 assigns two measures to 王海涛 (组织部部长) by @-mentioning him.
    await say('指派 1.2.2 @王海涛');
    await messages('bot').filter({ hasText: '已将措施 1.2.2的责任人设为 王海涛' }).waitFor();
    await say('指派 1.2.3 @王海涛');
    await messages('bot').filter({ hasText: '已将措施 1.2.3的责任人设为 王海涛' }).waitFor();
    await shot('assigned');

    // 王海涛 was told, and 我的 lists both.
    await openChat('王海涛');
    await messages('bot').filter({ hasText: '您已被指定为整改措施 1.2.3 的责任人' }).waitFor();
    await say('我的');
    const mine = botCard('我负责的整改措施');
    await mine.waitFor();
    await expect(mine.textContent()).resolves.toMatch(/1\.2\.2[\s\S]*1\.2\.3/);
    await expect(mine.textContent()).resolves.toContain('共 2 项');
    await shot('mine', mine);

    // The measure card; 汇报进展 opens the form in place; 60 % through the form.
    await say('详情 1.2.2');
    const measure = await pinned(
      botCards()
        .filter({ has: page.getByRole('button', { name: '汇报进展' }) })
        .last(),
    );
    let revision = await measure.getAttribute('data-revision');
    await measure.getByRole('button', { name: '汇报进展' }).click();
    await updatedInPlace(measure, revision);
    const reportText = measure.locator('[name^="report_text_"]');
    await reportText.fill('已将7名人员开除工会会籍，会籍管理制度培训已完成');
    await measure.locator('[name^="report_percent_"]').selectOption({ label: '60%' });
    // closure needs evidence (佐证材料): a link in the form is recorded as link evidence
    await measure.locator('[name^="report_link_"]').fill(EVIDENCE_URL);
    await shot('report-form', measure.getByRole('button', { name: '汇报进展' }));
    revision = await measure.getAttribute('data-revision');
    await measure.getByRole('button', { name: '提交进展' }).click();
    await toastSaying('已记录');
    await updatedInPlace(measure, revision);
    await expect(measure.textContent()).resolves.toContain('60%');
    await expect(measure.textContent()).resolves.toContain('已将7名人员开除工会会籍');
    await expect(measure.textContent()).resolves.toContain(EVIDENCE_URL);
    await shot('reported-60', measure);

    // Applying for closure: the form, then the confirm dialog.
    revision = await measure.getAttribute('data-revision');
    await measure.getByRole('button', { name: '申请销号' }).click();
    await updatedInPlace(measure, revision);
    await measure.locator('[name^="submit_note_"]').fill('材料已归档');
    revision = await measure.getAttribute('data-revision');
    await measure.getByRole('button', { name: '确认申请销号' }).click();
    await page.getByTestId('confirm').waitFor();
    await shot('submit-confirm');
    await page.getByTestId('confirm').getByRole('button', { name: '确定' }).click();
    await toastSaying('销号');
    await updatedInPlace(measure, revision);
    await expect(measure.textContent()).resolves.toContain('待销号');
    await shot('submitted', measure);

    // The 领导 verifies from the card sent to him.
    await openChat('张建国');
    const toVerify = await pinned(
      botCards()
        .filter({ has: page.getByRole('button', { name: '通过销号' }) })
        .last(),
    );
    await expect(toVerify.textContent()).resolves.toContain('1.2.2');
    // the leader sees the evidence before verifying
    await expect(toVerify.textContent()).resolves.toContain(EVIDENCE_URL);
    revision = await toVerify.getAttribute('data-revision');
    await toVerify.getByRole('button', { name: '通过销号' }).click();
    await page.getByTestId('confirm').getByRole('button', { name: '确定' }).click();
    await toastSaying('销号');
    await updatedInPlace(toVerify, revision);
    await expect(toVerify.textContent()).resolves.toContain('已销号');
    await expect(toVerify.getByRole('button', { name: '通过销号' }).count()).resolves.toBe(0);
    await shot('verified', toVerify);

    // The owner's card followed (PATCHed in place) and he was told.
    await openChat('王海涛');
    await expect.poll(() => measure.textContent()).toContain('已销号');
    await shot('owner-sees-closed', measure);

    // The weekly summary, run as of a Monday 09:00 more than a week after the import (so its trend
    // has two weekly points), arrives in the group with its chart.
    await openChat('整改工作领导小组');
    await page.locator('select[aria-label="任务"]').selectOption('weekly-summary');
    await page.getByTestId('job-at').fill(mondayAfter(8));
    await page.getByTestId('run-job').click();
    await expect.poll(() => page.getByTestId('job-result').textContent()).toMatch(/整改周报（weekly-summary:\d{4}-W\d{2}）：1 条消息，发给 整改工作领导小组。/);
    const summary = botCard('整改工作周报');
    await summary.waitFor();
    await expect(summary.textContent()).resolves.toContain('43');
    await expect(summary.locator('svg').count()).resolves.toBeGreaterThan(0);
    await expect(summary.locator('.fc-error').count()).resolves.toBe(0);
    await shot('weekly-summary', summary);
    await shot('weekly-summary-chart', summary.locator('svg').first());

    // No card drew an unknown tag or property: every card the story showed renders cleanly.
    await expect(page.locator('.fc-error').count()).resolves.toBe(0);
    // The server log shows the real events: one summary line per message sent.
    expect(service.output()).toContain('[local] message to chat_id oc_pg_leading_group');
    expect(service.output()).toMatch(/\[playground\] 王海涛 -> card\.action\.trigger .*status=200/);
    expect(service.output()).toMatch(/\[playground\] 陈静 -> im\.message\.receive_v1 .*status=200/);
  }, 180_000);
});

describe('the service as `npm start` runs it in Feishu mode', () => {
  it('has no playground: /playground and everything under it answer 404', async () => {
    const fake = await startFakeFeishu();
    const dir = tempDir('duban-playground-');
    const port = await freePort();
    const service = await startNodeProcess(feishuProcessEnv(fake, join(dir.path, 'duban.sqlite')), port);
    try {
      for (const path of ['/playground', '/playground/app.js', '/playground/api/state', '/playground/stream']) {
        expect((await fetch(`http://127.0.0.1:${port}${path}`)).status, path).toBe(404);
      }
      expect(service.output()).not.toContain('/playground');
    } finally {
      service.child.kill('SIGKILL');
      await service.exited();
      await fake.stop();
      dir.remove();
    }
  }, 60_000);
});
