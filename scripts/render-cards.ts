/**
 * npm run cards -- <dir> [--png]
 * Writes every card type, rendered from sample data in each state, as JSON files that
 * can be pasted into Feishu's card builder, and reports any card over the limits. Each card is
 * also rendered by the playground's renderer; a card it cannot show fails the command.
 * With --png: gallery.html and one PNG per card at phone width (375 CSS px, device scale 2),
 * photographed by the system Chromium (CHROMIUM_PATH or /usr/bin/chromium; nothing downloaded).
 */
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkCardLimits, cardRequestBytes } from '../cards/limits.js';
import { renderCardHtml } from '../src/playground/render/card-html.js';
import { cardPageHtml, type PageCard } from '../src/playground/render/card-page.js';
import { cardSamples } from './card-samples.js';

/** Phone width in CSS pixels and the device scale of the pictures. */
const PHONE = { width: 375, height: 812, deviceScaleFactor: 2 };

/** Where the system Chromium should be: CHROMIUM_PATH, else Debian's package. */
const chromiumPath = () => process.env.CHROMIUM_PATH || '/usr/bin/chromium';

async function writePngs(dir: string, cards: PageCard[]): Promise<void> {
  const executablePath = chromiumPath();
  if (!existsSync(executablePath)) {
    throw new Error(`no Chromium at ${executablePath} (apt-get install chromium fonts-noto-cjk, or set CHROMIUM_PATH); no PNG written`);
  }
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({ executablePath, args: ['--no-sandbox'] });
  try {
    const page = await browser.newPage({
      viewport: { width: PHONE.width, height: PHONE.height },
      deviceScaleFactor: PHONE.deviceScaleFactor,
      locale: 'zh-CN',
      timezoneId: 'Asia/Shanghai',
    });
    await page.setContent(cardPageHtml(cards), { waitUntil: 'load' });
    await page.evaluate(() => document.fonts.ready);
    for (const c of cards) {
      await page.locator(`section[data-sample="${c.id}"]`).screenshot({ path: join(dir, `${c.id}.png`), animations: 'disabled' });
    }
  } finally {
    await browser.close();
  }
}

async function main(): Promise<number> {
  const args = process.argv.slice(2);
  const png = args.includes('--png');
  const dirArg = args.find((a) => !a.startsWith('--'));
  if (!dirArg) {
    console.error('usage: npm run cards -- <output directory> [--png]');
    return 2;
  }
  const dir = resolve(dirArg);
  mkdirSync(dir, { recursive: true });
  let failures = 0;
  const rendered: PageCard[] = [];
  for (const sample of cardSamples()) {
    const id = `${sample.type}--${sample.state}`;
    writeFileSync(join(dir, `${id}.json`), `${JSON.stringify(sample.card, null, 2)}\n`);
    const violations = checkCardLimits(sample.card);
    const { html, problems } = renderCardHtml(sample.card);
    failures += violations.length + problems.length;
    rendered.push({ id, html });
    const issues = [...violations.map((v) => `${v.rule}: ${v.message}`), ...problems.map((p) => `render: ${p}`)];
    console.log(`${id}.json  ${cardRequestBytes(sample.card)} B  ${issues.length === 0 ? 'ok' : issues.join('; ')}`);
  }
  if (png) {
    writeFileSync(join(dir, 'gallery.html'), cardPageHtml(rendered, { title: '卡片一览', showNames: true }));
    await writePngs(dir, rendered);
    console.log(`${rendered.length} PNG pictures at ${PHONE.width} px (scale ${PHONE.deviceScaleFactor})`);
  }
  console.log(`written to ${dir}`);
  return failures === 0 ? 0 : 1;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e) => {
    console.error(`npm run cards: ${e instanceof Error ? e.message : String(e)}`);
    process.exitCode = 1;
  },
);
