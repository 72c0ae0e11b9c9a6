/**
 * Card JSON 2.0 building blocks, so every card is built the same way.
 * Only documented 2.0 properties are emitted: 2.0 rejects unknown ones.
 *
 * User text goes either into plain_text (shown as is, never interpreted) or into
 * markdown through `md`, which escapes every interpolated string.
 */
import type { CardActionName } from './actions.js';
import { escapeCardMarkdown } from './escape.js';
import type { DeadlineState } from './views.js';

export type CardElement = { tag: string; [key: string]: unknown };
export type PlainText = { tag: 'plain_text'; content: string };

/** Header colours documented for the title component. */
export type HeaderTemplate = 'blue' | 'wathet' | 'turquoise' | 'green' | 'yellow' | 'orange' | 'red' | 'carmine' | 'violet' | 'purple' | 'indigo' | 'grey';

/** Colours of header text tags (a different set from header templates). */
export type TagColor =
  | 'neutral'
  | 'blue'
  | 'turquoise'
  | 'lime'
  | 'orange'
  | 'violet'
  | 'indigo'
  | 'wathet'
  | 'green'
  | 'yellow'
  | 'red'
  | 'purple'
  | 'carmine';

export type Card = {
  schema: '2.0';
  config: { update_multi: true };
  header: {
    title: PlainText;
    subtitle?: PlainText;
    template: HeaderTemplate;
    text_tag_list?: Array<{ tag: 'text_tag'; text: PlainText; color: TagColor }>;
  };
  body: { elements: CardElement[] };
};

/** One colour per deadline state, valid as header template, text tag and font colour. */
export const STATE_COLORS: Record<DeadlineState, HeaderTemplate & TagColor> = {
  on_track: 'blue',
  due_soon: 'orange',
  due_today: 'orange',
  overdue: 'red',
  immediate: 'turquoise',
  ongoing: 'wathet',
  submitted: 'violet',
  closed: 'green',
  returned: 'carmine',
};

// ---------------------------------------------------------------- markdown text

/** Markdown that is already safe: produced by `md`, `bold` or `colored`. */
export class Markup {
  constructor(readonly value: string) {}
  toString(): string {
    return this.value;
  }
}

type MdValue = string | number | Markup | null | undefined;

function markupOf(value: MdValue): string {
  if (value instanceof Markup) return value.value;
  if (value === null || value === undefined) return '';
  return typeof value === 'number' ? String(value) : escapeCardMarkdown(value);
}

/**
 * Template tag for markdown: the literal parts are trusted, every interpolated
 * string is escaped, so user text can never become a mention, a link or a tag.
 */
export function md(strings: TemplateStringsArray, ...values: MdValue[]): Markup {
  let out = strings[0] ?? '';
  values.forEach((value, i) => {
    out += markupOf(value) + (strings[i + 1] ?? '');
  });
  return new Markup(out);
}

export function bold(text: MdValue): Markup {
  return new Markup(`**${markupOf(text)}**`);
}

export function colored(text: MdValue, color: string): Markup {
  return new Markup(`<font color='${color}'>${markupOf(text)}</font>`);
}

/**
 * A link that shows where it goes: its text is the URL itself (escaped like any user text), so
 * no label can disguise it. Only http(s); every character that could end the markdown link or
 * start a tag is percent-encoded. Anything else is shown as plain text.
 */
export function link(url: string): Markup {
  if (!/^https?:\/\//i.test(url)) return md`${url}`;
  const safe = url.replace(/[\s()<>[\]\\"'`]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase().padStart(2, '0')}`);
  return new Markup(`[${markupOf(safe)}](${safe})`);
}

export function joinMarkup(parts: Array<Markup | null | undefined>, separator: string): Markup {
  return new Markup(
    parts
      .filter((p): p is Markup => p instanceof Markup && p.value !== '')
      .map((p) => p.value)
      .join(separator),
  );
}

// ---------------------------------------------------------------- the card

export function plain(content: string): PlainText {
  return { tag: 'plain_text', content };
}

export function card(options: {
  title: string;
  subtitle?: string;
  template: HeaderTemplate;
  tag?: { text: string; color: TagColor };
  elements: CardElement[];
}): Card {
  const header: Card['header'] = { title: plain(options.title), template: options.template };
  if (options.subtitle) header.subtitle = plain(options.subtitle);
  if (options.tag) header.text_tag_list = [{ tag: 'text_tag', text: plain(options.tag.text), color: options.tag.color }];
  return { schema: '2.0', config: { update_multi: true }, header, body: { elements: options.elements } };
}

// ---------------------------------------------------------------- content

export function markdown(content: Markup, options: { size?: 'normal' | 'notation' | 'heading' } = {}): CardElement {
  const el: CardElement = { tag: 'markdown', content: content.value };
  if (options.size) el.text_size = options.size;
  return el;
}

/** User text shown exactly as typed (plain_text interprets nothing). */
export function text(content: string, options: { lines?: number } = {}): CardElement {
  const t: Record<string, unknown> = { tag: 'plain_text', content };
  if (options.lines) t.lines = options.lines;
  return { tag: 'div', text: t };
}

/** Small grey text; 2.0 has no `note` component, this is its documented replacement. */
export function note(content: string): CardElement {
  return { tag: 'div', text: { tag: 'plain_text', content, text_size: 'notation', text_color: 'grey' } };
}

export function hr(): CardElement {
  return { tag: 'hr' };
}

/** Label/value pairs, two per row (stacked on narrow screens by the client). */
export function fields(pairs: Array<[label: string, value: MdValue]>): CardElement[] {
  const rows: CardElement[] = [];
  for (let i = 0; i < pairs.length; i += 2) {
    const row = pairs.slice(i, i + 2);
    rows.push({
      tag: 'column_set',
      flex_mode: 'bisect',
      horizontal_spacing: 'medium',
      columns: row.map(([label, value]) => ({
        tag: 'column',
        width: 'weighted',
        weight: 1,
        elements: [markdown(md`${bold(label)}\n${value ?? '—'}`)],
      })),
    });
  }
  return rows;
}

// ---------------------------------------------------------------- buttons

export type ButtonType = 'default' | 'primary' | 'danger' | 'primary_filled' | 'danger_filled' | 'text' | 'primary_text';
export type CallbackValue = { action: CardActionName; [key: string]: string | number | boolean | null | undefined };
export type Confirm = { title: string; text: string };

function confirmOf(confirm: Confirm) {
  return { title: plain(confirm.title), text: plain(confirm.text) };
}

function cleanValue(value: CallbackValue): Record<string, string | number | boolean | null> {
  const out: Record<string, string | number | boolean | null> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out;
}

/**
 * A button that calls back the server with `value` (an object, as the SDK requires). It takes no
 * confirmation: the dialog is shown only for buttons that submit a form (按钮组件, confirm:
 * https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/button),
 * so an action that needs one is a `confirmedAction`.
 */
export function button(options: { label: string; value: CallbackValue; type?: ButtonType; disabled?: boolean }): CardElement {
  const el: CardElement = {
    tag: 'button',
    text: plain(options.label),
    type: options.type ?? 'default',
    size: 'small',
  };
  if (options.disabled) el.disabled = true;
  el.behaviors = [{ type: 'callback', value: cleanValue(options.value) }];
  return el;
}

/**
 * The submit button of a form. It carries the same callback value as any button, so
 * the handler knows the action and the measure before reading form_value.
 */
export function submitButton(options: {
  name: string;
  label: string;
  value: CallbackValue;
  type?: ButtonType;
  confirm?: Confirm;
  disabled?: boolean;
}): CardElement {
  const el: CardElement = {
    ...button({ label: options.label, value: options.value, type: options.type ?? 'primary_filled', disabled: options.disabled }),
    name: options.name,
    form_action_type: 'submit',
  };
  if (options.confirm) el.confirm = confirmOf(options.confirm);
  return el;
}

/**
 * One action behind a confirmation dialog: a form holding only its submit button, since the
 * dialog is certain only on a submit. Like every form it sits at the card root; `name` must be
 * unique in the card (it names the form and, suffixed, its button).
 */
export function confirmedAction(options: {
  name: string;
  label: string;
  value: CallbackValue;
  confirm: Confirm;
  type?: ButtonType;
  disabled?: boolean;
}): CardElement {
  const { name, ...rest } = options;
  return form(`${name}_form`, [submitButton({ ...rest, name: `${name}_submit` })]);
}

/** Buttons side by side, wrapping on narrow screens. */
export function buttonRow(buttons: CardElement[]): CardElement {
  return {
    tag: 'column_set',
    flex_mode: 'flow',
    horizontal_spacing: 'small',
    columns: buttons.map((b) => ({ tag: 'column', width: 'auto', elements: [b] })),
  };
}

// ---------------------------------------------------------------- forms

/** A form container; only valid at the card root. */
export function form(name: string, elements: CardElement[]): CardElement {
  return { tag: 'form', name, elements };
}

export function textInput(options: {
  name: string;
  label: string;
  placeholder: string;
  multiline?: boolean;
  required?: boolean;
  maxLength?: number;
}): CardElement {
  const el: CardElement = {
    tag: 'input',
    name: options.name,
    required: options.required ?? false,
    label: plain(options.label),
    label_position: 'top',
    placeholder: plain(options.placeholder),
    width: 'fill',
    max_length: options.maxLength ?? 1000,
  };
  if (options.multiline) {
    el.input_type = 'multiline_text';
    el.rows = 3;
    el.auto_resize = true;
    el.max_rows = 8;
  }
  return el;
}

export function datePicker(options: { name: string; placeholder: string; initialDate?: string | null; required?: boolean }): CardElement {
  const el: CardElement = {
    tag: 'date_picker',
    name: options.name,
    required: options.required ?? false,
    placeholder: plain(options.placeholder),
    width: 'fill',
  };
  if (options.initialDate) el.initial_date = options.initialDate;
  return el;
}

export function selectStatic(options: {
  name: string;
  placeholder: string;
  options: Array<{ label: string; value: string }>;
  initial?: string;
  required?: boolean;
}): CardElement {
  const el: CardElement = {
    tag: 'select_static',
    name: options.name,
    required: options.required ?? false,
    placeholder: plain(options.placeholder),
    width: 'fill',
    options: options.options.map((o) => ({ text: plain(o.label), value: o.value })),
  };
  // initial_index is 1-based (0 selects nothing); initial_option is described as the option's
  // content rather than its value, so the index is the certain way to preselect (下拉选择-单选:
  // https://open.feishu.cn/document/feishu-cards/card-json-v2-components/interactive-components/single-select-dropdown-menu).
  const index = options.initial === undefined ? -1 : options.options.findIndex((o) => o.value === options.initial);
  if (index >= 0) el.initial_index = index + 1;
  return el;
}

// ---------------------------------------------------------------- table

export type TableColumn = { name: string; label: string; type: 'text' | 'number'; width?: string };

/** A plain table (cells are text or numbers, never markup); only valid at the card root. */
export function table(columns: TableColumn[], rows: Array<Record<string, string | number>>, pageSize = 10): CardElement {
  return {
    tag: 'table',
    page_size: Math.min(10, Math.max(1, pageSize)),
    row_height: 'low',
    freeze_first_column: true,
    header_style: { background_style: 'grey', bold: true, text_color: 'default' },
    columns: columns.map((c) => {
      const col: Record<string, unknown> = { name: c.name, display_name: c.label, data_type: c.type };
      if (c.width) col.width = c.width;
      return col;
    }),
    rows,
  };
}
