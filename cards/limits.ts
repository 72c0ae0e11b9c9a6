/**
 * The platform's rules for a card JSON 2.0, checked before a card leaves: a card that
 * breaks one is refused by Feishu (or, for markup, lets user text act as markup).
 * Used by the test suite on every card it produces; cheap enough to run anywhere.
 */
import { CARD_ACTION_NAMES } from './actions.js';

export const CARD_MAX_BYTES = 30 * 1024;
export const CARD_MAX_COMPONENTS = 200;
export const CARD_MAX_CONTAINER_DEPTH = 5;
const CARD_MAX_TABLES = 5;
const SHORT_TEXT_MAX = 100;

export type CardLimitRule =
  | 'schema'
  | 'update_multi'
  | 'size'
  | 'components'
  | 'depth'
  | 'placement'
  | 'form_names'
  | 'form_submit'
  | 'callback_value'
  | 'text_length'
  | 'markup';

export type CardLimitViolation = { rule: CardLimitRule; path: string; message: string };

const CONTAINERS = new Set(['form', 'column_set', 'column', 'collapsible_panel', 'interactive_container']);
const INTERACTIVE = new Set([
  'button',
  'input',
  'date_picker',
  'picker_time',
  'picker_datetime',
  'select_static',
  'multi_select_static',
  'select_person',
  'multi_select_person',
  'select_img',
  'checker',
  'overflow',
]);
const ROOT_ONLY = new Set(['form', 'table']);
const KNOWN_ACTIONS = new Set<string>(CARD_ACTION_NAMES);

type Node = Record<string, unknown>;

function isNode(value: unknown): value is Node {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Bytes of the request body that carries the card (its JSON is sent as a string). */
export function cardRequestBytes(card: unknown): number {
  return new TextEncoder().encode(JSON.stringify({ content: JSON.stringify(card) })).length;
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

function walk(value: unknown, path: string, visit: (node: Node, path: string, containers: number) => void, containers = 0): void {
  if (Array.isArray(value)) {
    value.forEach((v, i) => walk(v, `${path}[${i}]`, visit, containers));
    return;
  }
  if (!isNode(value)) return;
  if (typeof value.tag === 'string') visit(value, path, containers);
  const depth = typeof value.tag === 'string' && CONTAINERS.has(value.tag) ? containers + 1 : containers;
  for (const [key, child] of Object.entries(value)) walk(child, `${path}.${key}`, visit, depth);
}

/**
 * Tags the cards themselves write into markdown; anything else is user text gone wrong. A
 * mention of one person by open_id is allowed (the weekly summary may name owners when the
 * setting is on); @all, or a mention built from user text, is not.
 */
const ALLOWED_TAG = /^<(?:font color='[a-z_]+'|\/font|at id=ou_[0-9A-Za-z_-]+><\/at)>/;
const PERSON_MENTION = /<at id=ou_[0-9A-Za-z_-]+><\/at>/g;

/**
 * Problems that would let markdown do more than display text. User text reaches markdown only
 * through escapeCardMarkdown, which writes entities: a backslash or a bracket in the result
 * means text escaped some other way (backslashes may show literally) or not at all (a link).
 */
export function markupProblems(content: string): string[] {
  const problems: string[] = [];
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
  const violations: CardLimitViolation[] = [];
  const add = (rule: CardLimitRule, path: string, message: string) => violations.push({ rule, path, message });
  if (!isNode(card)) return [{ rule: 'schema', path: '$', message: 'card is not an object' }];

  if (card.schema !== '2.0') add('schema', '$.schema', `schema must be "2.0", got ${JSON.stringify(card.schema)}`);
  if (!isNode(card.config) || card.config.update_multi !== true) add('update_multi', '$.config', 'config.update_multi must be true');
  const body = isNode(card.body) ? card.body : null;
  if (!body || !Array.isArray(body.elements)) add('schema', '$.body', 'body.elements must be an array');

  const bytes = cardRequestBytes(card);
  if (bytes >= CARD_MAX_BYTES) add('size', '$', `card is ${bytes} bytes as a request body; the limit is ${CARD_MAX_BYTES}`);

  let components = 0;
  let maxDepth = 0;
  let tables = 0;
  const names = new Map<string, string>();
  walk(card, '$', (node, path, containers) => {
    components++;
    const tag = node.tag as string;
    const depth = CONTAINERS.has(tag) ? containers + 1 : containers;
    maxDepth = Math.max(maxDepth, depth);
    if (ROOT_ONLY.has(tag) && !/^\$\.body\.elements\[\d+\]$/.test(path)) add('placement', path, `${tag} may only sit at the card root`);
    if (tag === 'table') tables++;
    if (typeof node.name === 'string' && node.name !== '' && (tag === 'form' || INTERACTIVE.has(tag))) {
      const seen = names.get(node.name);
      if (seen) add('form_names', path, `name "${node.name}" is also used at ${seen}`);
      else names.set(node.name, path);
    }
    if (tag === 'form') checkForm(node, path, add);
    if (tag === 'button') checkButton(node, path, add);
    for (const key of ['text', 'placeholder'] as const) {
      const t = node[key];
      if ((tag === 'button' || key === 'placeholder') && isNode(t) && typeof t.content === 'string' && [...t.content].length > SHORT_TEXT_MAX) {
        add('text_length', `${path}.${key}`, `${key} is longer than ${SHORT_TEXT_MAX} characters`);
      }
    }
  });
  if (components > CARD_MAX_COMPONENTS) add('components', '$', `${components} components; the limit is ${CARD_MAX_COMPONENTS}`);
  if (maxDepth > CARD_MAX_CONTAINER_DEPTH) add('depth', '$', `containers nest ${maxDepth} deep; the limit is ${CARD_MAX_CONTAINER_DEPTH}`);
  if (tables > CARD_MAX_TABLES) add('placement', '$', `${tables} tables; the limit is ${CARD_MAX_TABLES}`);

  renderedMarkup(card).forEach((content, i) => {
    for (const problem of markupProblems(content)) add('markup', `markup[${i}]`, `${problem}: ${JSON.stringify(content.slice(0, 80))}`);
  });
  return violations;
}

type Add = (rule: CardLimitRule, path: string, message: string) => void;

function checkForm(formNode: Node, path: string, add: Add): void {
  if (typeof formNode.name !== 'string' || formNode.name === '') add('form_names', path, 'a form needs a non-empty name');
  let submit = false;
  walk(formNode.elements, `${path}.elements`, (node, childPath) => {
    const tag = node.tag as string;
    if (tag === 'form') add('placement', childPath, 'a form cannot contain a form');
    if (!INTERACTIVE.has(tag)) return;
    if (typeof node.name !== 'string' || node.name === '') add('form_names', childPath, `${tag} inside a form needs a non-empty name`);
    if (tag === 'button' && node.form_action_type === 'submit') submit = true;
  });
  if (!submit) add('form_submit', path, 'a form needs a submit button');
}

function checkButton(node: Node, path: string, add: Add): void {
  const behaviors = Array.isArray(node.behaviors) ? node.behaviors : [];
  for (const b of behaviors) {
    if (!isNode(b) || b.type !== 'callback') continue;
    const value = b.value;
    if (!isNode(value)) add('callback_value', path, 'a callback value must be an object');
    else if (typeof value.action !== 'string' || !KNOWN_ACTIONS.has(value.action)) {
      add('callback_value', path, `unknown action ${JSON.stringify(value.action)}`);
    }
  }
}
