/**
 * The card renderer in a real Chromium at phone width: no card is wider than the screen, and
 * bindCard delivers what a Feishu client would (confirm dialog, callbacks, form values); then
 * `npm run cards -- <dir> --png` photographs every gallery card. Needs the system Chromium
 * (CHROMIUM_PATH or /usr/bin/chromium); without one the file is skipped with one line.
 */
import { execFile } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { build } from 'esbuild';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { measureCard } from '../../cards/measure.card.js';
import { cardSamples, sampleMeasure, SECRETARY_ACTIONS } from '../../scripts/card-samples.js';
import { renderCardHtml } from '../../src/playground/render/card-html.js';
import { cardPageHtml } from '../../src/playground/render/card-page.js';
import { tempDir } from '../helpers/harness.js';

const ROOT = join(import.meta.dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH || '/usr/bin/chromium';
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipped: no Chromium at ${CHROMIUM} (apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH)`);

const run = promisify(execFile);

describe.skipIf(!hasChromium)('cards in Chromium at 375 px', () => {
  let browser: Browser;
  let page: Page;
  let cardDom: string;

  beforeAll(async () => {
    const { chromium } = await import('playwright-core');
    browser = await chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox'] });
    // Feishu appends the user's UTC offset to a picked date; the phone is in Beijing time
    page = await browser.newPage({ viewport: { width: 375, height: 800 }, timezoneId: 'Asia/Shanghai', locale: 'zh-CN' });
    const bundle = await build({
      entryPoints: [join(ROOT, 'src/playground/render/card-dom.ts')],
      bundle: true,
      format: 'iife',
      globalName: 'cardDom',
      write: false,
    });
    cardDom = bundle.outputFiles[0]!.text;
  });
  afterAll(async () => {
    await browser?.close();
  });

  /** One card on the page, bound by bindCard; its actions collect in window.actions. */
  async function showCard(card: unknown): Promise<void> {
    await page.setContent(cardPageHtml([{ id: 'one', html: renderCardHtml(card).html }]));
    await page.addScriptTag({ content: cardDom });
    await page.evaluate(() => {
      const w = window as unknown as { actions: unknown[]; cardDom: typeof import('../../src/playground/render/card-dom.js') };
      w.actions = [];
      for (const el of document.querySelectorAll<HTMLElement>('[data-testid="card"]')) w.cardDom.bindCard(el, { onAction: (a) => void w.actions.push(a) });
    });
  }
  const actions = () => page.evaluate(() => (window as unknown as { actions: unknown[] }).actions);
  const button = (name: string) => page.getByRole('button', { name, exact: true });

  it('no gallery card is wider than the phone', async () => {
    const samples = cardSamples();
    await page.setContent(cardPageHtml(samples.map((s) => ({ id: `${s.type}--${s.state}`, html: renderCardHtml(s.card).html }))));
    const widths = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('section[data-sample]')].map((s) => {
        const card = s.querySelector<HTMLElement>('[data-testid="card"]')!;
        return { id: s.dataset.sample, scrollWidth: card.scrollWidth, clientWidth: card.clientWidth };
      }),
    );
    expect(widths).toHaveLength(samples.length);
    const overflowing = widths.filter((w) => w.scrollWidth > w.clientWidth);
    expect(overflowing).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
  });

  it('a confirmed action asks in an in-page dialog; 取消 sends nothing, 确定 sends the action', async () => {
    await showCard(measureCard(sampleMeasure({ actions: SECRETARY_ACTIONS, status: 'submitted', deadlineState: 'submitted' })));
    await button('通过销号').click();
    const dialog = page.getByRole('dialog');
    await expect(dialog.textContent()).resolves.toContain('确认措施 1.2.4 已整改到位，予以销号？');
    await button('取消').click();
    expect(await dialog.count()).toBe(0);
    expect(await actions()).toEqual([]);
    await button('通过销号').click();
    await button('确定').click();
    expect(await actions()).toEqual([{ value: { action: 'measure.verify', measureId: 7, version: 5 }, formValue: {}, name: 'verify_7_submit' }]);
  });

  it('a callback button sends its value', async () => {
    await showCard(measureCard(sampleMeasure()));
    await button('查看记录').click();
    expect(await actions()).toEqual([{ value: { action: 'measure.history', measureId: 7, version: 5 } }]);
  });

  it('a form is not sent while a required field is empty, then sends its values by field name', async () => {
    await showCard(measureCard(sampleMeasure({ percent: 40 }), { openForm: 'report' }));
    await button('提交进展').click();
    expect(await actions()).toEqual([]);
    expect(await page.locator('.fc-field-error').textContent()).toBe('此项为必填项');
    await page.locator('textarea[name="report_text_7"]').fill('已召开推进会\n指南已定稿');
    await page.locator('select[name="report_percent_7"]').selectOption('60');
    await page.locator('input[name="report_link_7"]').fill('https://zgh.example.cn/zhinan.pdf');
    await button('提交进展').click();
    expect(await actions()).toEqual([
      {
        value: { action: 'measure.report', measureId: 7, version: 5 },
        formValue: { report_text_7: '已召开推进会\n指南已定稿', report_percent_7: '60', report_link_7: 'https://zgh.example.cn/zhinan.pdf' },
        name: 'report_submit_7',
      },
    ]);
  });

  it('a picked date is sent as Feishu sends it, "yyyy-MM-dd +0800"', async () => {
    await showCard(measureCard(sampleMeasure(), { openForm: 'extend' }));
    await page.locator('input[name="extend_date_7"]').fill('2025-06-30');
    await page.locator('textarea[name="extend_reason_7"]').fill('需待会员大会召开');
    await button('提交延期申请').click();
    expect(await actions()).toEqual([
      {
        value: { action: 'measure.extend', measureId: 7, version: 5 },
        formValue: { extend_date_7: '2025-06-30 +0800', extend_reason_7: '需待会员大会召开' },
        name: 'extend_submit_7',
      },
    ]);
  });

  it('table pages switch with the pager buttons', async () => {
    const status = cardSamples().find((s) => s.type === 'status' && s.state === 'many-departments')!;
    await showCard(status.card);
    const visibleFirstCells = () =>
      page.evaluate(() =>
        [...document.querySelectorAll<HTMLTableRowElement>('tr[data-fc-page-of]')].filter((r) => !r.hidden).map((r) => r.cells[0]!.textContent),
      );
    const first = await visibleFirstCells();
    expect(first[0]).toBe('基层工会1');
    await page.locator('button[data-fc-page="2"]').click();
    const second = await visibleFirstCells();
    expect(second).toHaveLength(first.length);
    expect(second[0]).toBe(`基层工会${first.length + 1}`);
    expect(await page.locator('button[data-fc-page="2"]').getAttribute('aria-current')).toBe('page');
    expect(await actions()).toEqual([]);
  });

  it('npm run cards -- <dir> --png writes one phone-width PNG per gallery card', { timeout: 240_000 }, async () => {
    const dir = tempDir();
    try {
      const { stdout } = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/render-cards.ts'), dir.path, '--png'], { cwd: ROOT });
      const samples = cardSamples();
      expect(stdout).toContain(`${samples.length} PNG pictures at 375 px (scale 2)`);
      const pngs = readdirSync(dir.path).filter((f) => f.endsWith('.png'));
      expect(pngs.sort()).toEqual(samples.map((s) => `${s.type}--${s.state}.png`).sort());
      // IHDR width: 375 CSS px at device scale 2
      expect(readFileSync(join(dir.path, 'measure--form-report.png')).readUInt32BE(16)).toBe(750);
    } finally {
      dir.remove();
    }
  });
});

describe('npm run cards -- <dir> --png without a Chromium', () => {
  it('fails with one clear line', async () => {
    const dir = tempDir();
    try {
      const result = await run(join(ROOT, 'node_modules/.bin/tsx'), [join(ROOT, 'scripts/render-cards.ts'), dir.path, '--png'], {
        cwd: ROOT,
        env: { ...process.env, CHROMIUM_PATH: join(dir.path, 'no-chromium') },
      }).then(
        () => ({ code: 0, stderr: '' }),
        (e: { code: number; stderr: string }) => e,
      );
      expect(result.code).toBe(1);
      expect(result.stderr.trim().split('\n')).toEqual([
        `npm run cards: no Chromium at ${join(dir.path, 'no-chromium')} (apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH); no PNG written`,
      ]);
    } finally {
      dir.remove();
    }
  });
});
