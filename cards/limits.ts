/**
 * Every check a card passes before it leaves. The platform's rules (shape, enums, nesting,
 * form names, sizes and counts) are the schema in card-schema.ts; here are only duban's own:
 * callback values name a known action, and markdown built from user text stays text.
 * Used by the test suite on every card it produces; cheap enough to run anywhere.
 */
import { CARD_ACTION_NAMES } from './actions.js';
import { validateCardSchema } from './card-schema.js';

export { CARD_MAX_BYTES, CARD_MAX_COMPONENTS, CARD_MAX_CONTAINER_DEPTH, cardRequestBytes } from './card-schema.js';

import type { CardLimitRule, CardLimitViolation } from './card-schema.js';

export type { CardLimitRule, CardLimitViolation };

const KNOWN_ACTIONS = new Set<string>(CARD_ACTION_NAMES);

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every string in the card that the client interprets as markdown / lark_md. */
export function renderedMarkup(card: unknown): string[] {
  const out: string[] = [];
  walk(card, '$', (node) => {
    if (node.tag === 'markdown' && typeof node.content === 'string') out.push(node.content);
    if (node.tag === 'lark_md' && typeof node.content === 'string') out.push(node.content);
    if (node.tag === 'table' && Array.isArray(node.columns) && Array.isArray(node.rows)) {
      const markupColumns = node.columns
        .filter((c): c is Node => isNode(c) && (c.data_type === 'lark_md' || c.data_type === 'markdown'))
        .map((c) => String(c.name));
      for (const row of node.rows) {
        if (!isNode(row)) continue;
        for (const name of markupColumns) if (typeof row[name] === 'string') out.push(row[name] as string);
      }
    }
  });
  return out;
}

function walk(value: unknown, path: string, visit: (node: Node, path: string) => void): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, visit));
    return;
  }
  if (!isNode(value)) return;
  if (typeof value.tag === 'string') visit(value, path);
  for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`, visit);
}

/**
 * Tags the cards themselves write into markdown; anything else is user text gone wrong. A
 * mention of one person by open_id is allowed (the weekly summary may name owners when the
 * setting is on); @all, or a mention built from user text, is not.
 */
const ALLOWED_TAG = /^<(?:font color='[a-z_]+'|\/font|at id=ou_[0-9A-Za-z_-]+><\/at)>/;
const PERSON_MENTION = /<at id=ou_[0-9A-Za-z_-]+><\/at>/g;

const CARD_LINK = /\[([^[\]\\<>]*)\]\((https?:\/\/[^\s()<>[\]\\"'`]+)\)/g;

/**
 * Problems that would let markdown do more than display text. User text reaches markdown only
 * through escapeCardMarkdown, which writes entities: a backslash or a bracket in the result
 * means text escaped some other way (backslashes may show literally) or not at all (a link).
 */
export function markupProblems(markup: string): string[] {
  const problems: string[] = [];
  // Links written by link() in elements.ts: an http(s) URL with nothing that could end it, shown as
  // itself. A link whose text says anything else is a disguised link and stays a problem.
  const content = markup.replace(CARD_LINK, (whole, label: string, url: string) =>
    label.replace(/&#(\d+);/g, (_m, n: string) => String.fromCodePoint(Number(n))) === url ? label : whole,
  );
  if (/<at\b/i.test(content.replace(PERSON_MENTION, ''))) problems.push('raw <at> mention');
  let open = 0;
  for (let i = 0; i < content.length; i++) {
    const c = content[i];
    if (c === '<') {
      const m = ALLOWED_TAG.exec(content.slice(i));
      if (!m) {
        problems.push(`raw tag at ${i}`);
        continue;
      }
      if (m[0].startsWith('<at')) {
        i += m[0].length - 1;
        continue;
      }
      open += m[0].startsWith('</') ? -1 : 1;
      if (open < 0) problems.push(`unbalanced </font> at ${i}`);
    }
    if (c === '\\') problems.push(`backslash at ${i} (escape with an entity)`);
    if (c === '[' || c === ']') problems.push(`unescaped ${c} at ${i} (a link)`);
  }
  if (open > 0) problems.push('unclosed <font>');
  return problems;
}

export function checkCardLimits(card: unknown): CardLimitViolation[] {
  if (!isNode(card)) return [{ rule: 'schema', path: '$', message: 'card is not an object' }];
  const violations = validateCardSchema(card);
  walk(card, '$', (node, path) => {
    if (node.tag !== 'button' || !Array.isArray(node.behaviors)) return;
    for (const b of node.behaviors) {
      if (!isNode(b) || b.type !== 'callback' || !isNode(b.value)) continue; // the schema reports those
      const action = b.value.action;
      if (typeof action !== 'string' || !KNOWN_ACTIONS.has(action)) {
        violations.push({ rule: 'callback_value', path, message: `unknown action ${JSON.stringify(action)}` });
      }
    }
  });
  renderedMarkup(card).forEach((content, i) => {
    for (const problem of markupProblems(content)) {
      violations.push({ rule: 'markup', path: `markup[${i}]`, message: `${problem}: ${JSON.stringify(content.slice(0, 80))}` });
    }
  });
  return violations;
}
