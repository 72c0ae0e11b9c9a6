/**
 * A standalone HTML page of rendered cards, as they sit in a chat on a phone: the gallery that
 * `npm run cards -- <dir> --png` photographs and the browser test loads. Pure: it returns text.
 */
import { CARD_CSS } from './card-css.js';
import { attr, escapeHtml } from './html-text.js';

export interface PageCard {
  /** Names the card in the page (`data-sample`), e.g. "measure--form-report". */
  id: string;
  /** renderCardHtml(card).html */
  html: string;
}

/** The chat background and the space around each card, Feishu's light grey. */
const PAGE_CSS = `
html,body{margin:0;padding:0;background:#f5f6f7}
.fc-shot{padding:12px;background:#f5f6f7}
.fc-shot-name{font:12px/18px ui-monospace,Menlo,Consolas,monospace;color:#8f959e;margin:0 0 6px}
`;

export function cardPageHtml(cards: PageCard[], options: { title?: string; showNames?: boolean } = {}): string {
  const sections = cards
    .map(
      (c) =>
        `<section class="fc-shot"${attr('data-sample', c.id)}>${options.showNames ? `<p class="fc-shot-name">${escapeHtml(c.id)}</p>` : ''}${c.html}</section>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(options.title ?? '卡片预览')}</title>
<style>${CARD_CSS}${PAGE_CSS}</style></head>
<body>
${sections}
</body></html>
`;
}
