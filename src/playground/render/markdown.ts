/**
 * Card markdown (the `markdown` component and lark_md table cells) to HTML: the subset duban
 * writes (rich-text page, https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text):
 * **bold**, *italic*, ~~strike~~, <font color='…'>, [links](…), <at id=…></at>, <br>, lists,
 * headings, quotes, `---` rules and HTML entities. It is a scanner, not a regex rewrite of the
 * input: only the constructs above become elements, every other character is escaped text, and
 * an entity is decoded to text after the markup was recognised (so `&#60;b>` shows as "<b>").
 */
import { type RenderContext, problemBlock } from './context.js';
import { attr, decodeEntities, escapeHtml } from './html-text.js';
import { TEXT_COLOURS } from './palette.js';

type Open = { kind: 'strong' | 'em' | 's' | 'font'; at: number; literal: string };

const FONT_OPEN = /^<font\s+color\s*=\s*(['"]?)([^'">\s]*)\1\s*>/i;
const FONT_CLOSE = /^<\/font\s*>/i;
const MENTION = /^<at\s+(id|open_id|user_id|email)\s*=\s*(['"]?)([^'">\s]*)\2\s*>([^<]*)<\/at\s*>/i;
const BREAK = /^<br\s*\/?>/i;
const LINK = /^\[([^\]\n]*)\]\(([^()\s]*)\)/;
const ENTITY = /^&(#\d{1,7}|#x[0-9a-fA-F]{1,6}|[a-zA-Z]+);/;
/** Something that looks like a tag this renderer does not know: shown as text and reported. */
const OTHER_TAG = /^<\/?([a-zA-Z][\w-]*)[^>]*>/;
const SAFE_HREF = /^(https?:\/\/|mailto:|lark:\/\/)/i;

const DELIMITERS: Array<[string, Open['kind']]> = [
  ['**', 'strong'],
  ['~~', 's'],
  ['*', 'em'],
];

/** Inline markup of one line (or one link text) to HTML. */
function inline(text: string, ctx: RenderContext, path: string, unknown: Set<string>, inLink = false): string {
  const out: string[] = [];
  const stack: Open[] = [];
  let plain = '';
  const flush = () => {
    if (plain) out.push(escapeHtml(plain));
    plain = '';
  };
  const open = (kind: Open['kind'], literal: string, html: string) => {
    flush();
    stack.push({ kind, at: out.length, literal });
    out.push(html);
  };
  /** Closes the innermost open `kind`; opens left inside it were never closed and become text. */
  const close = (kind: Open['kind']): boolean => {
    let index = stack.length - 1;
    while (index >= 0 && stack[index]!.kind !== kind) index--;
    if (index < 0) return false;
    flush();
    for (const inner of stack.splice(index + 1)) out[inner.at] = escapeHtml(inner.literal);
    stack.pop();
    out.push(`</${kind === 'font' ? 'span' : kind}>`);
    return true;
  };

  let i = 0;
  while (i < text.length) {
    const rest = text.slice(i);
    const delimiter = DELIMITERS.find(([d]) => rest.startsWith(d));
    if (delimiter) {
      const [d, kind] = delimiter;
      if (!close(kind)) open(kind, d, `<${kind}>`);
      i += d.length;
      continue;
    }
    let m: RegExpExecArray | null;
    if (rest[0] === '<') {
      if ((m = FONT_OPEN.exec(rest))) {
        const colour = m[2]!.toLowerCase();
        if (!TEXT_COLOURS.includes(colour)) unknown.add(`<font color='${m[2]}'>`);
        open('font', m[0], `<span class="fc-font${TEXT_COLOURS.includes(colour) ? ` fc-c-${colour}` : ''}">`);
        i += m[0].length;
        continue;
      }
      if ((m = FONT_CLOSE.exec(rest)) && close('font')) {
        i += m[0].length;
        continue;
      }
      if ((m = MENTION.exec(rest))) {
        flush();
        const id = decodeEntities(m[3]!);
        const name = id === 'all' ? '所有人' : (ctx.mentionName(id) ?? id);
        out.push(`<span class="fc-at"${attr('data-at', id)}>@${escapeHtml(name)}</span>`);
        i += m[0].length;
        continue;
      }
      if ((m = BREAK.exec(rest))) {
        flush();
        out.push('<br>');
        i += m[0].length;
        continue;
      }
      if ((m = OTHER_TAG.exec(rest))) unknown.add(`<${m[1]}>`);
    }
    if (rest[0] === '[' && !inLink && (m = LINK.exec(rest))) {
      flush();
      const href = decodeEntities(m[2]!);
      const label = inline(m[1]!, ctx, path, unknown, true);
      if (SAFE_HREF.test(href)) out.push(`<a class="fc-link"${attr('href', href)} target="_blank" rel="noopener noreferrer">${label}</a>`);
      else {
        unknown.add(`链接地址 ${href}`);
        out.push(`<span class="fc-link">${label}</span>`);
      }
      i += m[0].length;
      continue;
    }
    if (rest[0] === '&' && (m = ENTITY.exec(rest))) {
      plain += decodeEntities(m[0]);
      i += m[0].length;
      continue;
    }
    const ch = String.fromCodePoint(text.codePointAt(i)!);
    plain += ch;
    i += ch.length;
  }
  flush();
  for (const o of stack) out[o.at] = escapeHtml(o.literal);
  return out.join('');
}

/** One line's block: list item, heading, quote, rule or a plain line. */
function line(text: string, ctx: RenderContext, path: string, unknown: Set<string>): string {
  let m: RegExpExecArray | null;
  if (text.trim() === '') return '<div class="fc-md-gap"></div>';
  if (/^\s*(-{3,}|\*{3,})\s*$/.test(text)) return '<hr class="fc-hr">';
  if ((m = /^(\s*)[-*+]\s+(.*)$/.exec(text))) {
    return `<div class="fc-md-li"${indent(m[1]!)}><span class="fc-md-bullet">•</span><span class="fc-md-li-body">${inline(m[2]!, ctx, path, unknown)}</span></div>`;
  }
  if ((m = /^(\s*)(\d{1,9})\.\s+(.*)$/.exec(text))) {
    return `<div class="fc-md-li"${indent(m[1]!)}><span class="fc-md-num">${m[2]}.</span><span class="fc-md-li-body">${inline(m[3]!, ctx, path, unknown)}</span></div>`;
  }
  // an indented line under a list item continues it (Feishu breaks lines where the text does)
  if ((m = /^ {2,}(\S.*)$/.exec(text))) {
    return `<div class="fc-md-li"><span class="fc-md-bullet"></span><span class="fc-md-li-body">${inline(m[1]!, ctx, path, unknown)}</span></div>`;
  }
  if ((m = /^(#{1,6})\s+(.*)$/.exec(text))) return `<div class="fc-md-h fc-md-h${m[1]!.length}">${inline(m[2]!, ctx, path, unknown)}</div>`;
  if ((m = /^>\s?(.*)$/.exec(text))) return `<div class="fc-md-quote">${inline(m[1]!, ctx, path, unknown)}</div>`;
  return `<div class="fc-md-line">${inline(text, ctx, path, unknown)}</div>`;
}

const indent = (spaces: string) => (spaces.length >= 2 ? ` style="padding-left:${Math.min(4, Math.floor(spaces.length / 2)) * 16}px"` : '');

/** Renders each line, then an error block naming any markup that could not be shown. */
function linesHtml(content: string, ctx: RenderContext, path: string, render: LineRenderer, separator: string): string {
  const unknown = new Set<string>();
  const body = content
    .split(/\r?\n/)
    .map((l) => render(l, ctx, path, unknown))
    .join(separator);
  return body + [...unknown].map((u) => problemBlock(ctx, path, `不支持的 Markdown 标记 ${u}`)).join('');
}

type LineRenderer = (text: string, ctx: RenderContext, path: string, unknown: Set<string>) => string;

/** A markdown component's content: lists, headings, quotes and rules, line by line. */
export const markdownHtml = (content: string, ctx: RenderContext, path: string) => linesHtml(content, ctx, path, line, '');

/** A lark_md table cell: inline markup only, lines kept. */
export const markdownInlineHtml = (content: string, ctx: RenderContext, path: string) =>
  linesHtml(content, ctx, path, (l, c, p, u) => inline(l, c, p, u), '<br>');
