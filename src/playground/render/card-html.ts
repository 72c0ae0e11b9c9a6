/**
 * Card JSON 2.0 -> HTML, for the playground and the card pictures: what a Feishu client would
 * show for the subset duban sends (cards/card-schema.ts lists it, with the doc page of each
 * component). Pure: no DOM, no Node; bundled for the browser and used in Node alike.
 *
 * Whatever this renderer does not know (a tag, a property, a value, a component in a place it
 * cannot sit) becomes a visible error block and an entry in `problems`: 2.0 rejects unknown
 * properties, so a card that renders with problems here would not render in Feishu either.
 * Every string from the card is escaped; the card's content is untrusted user text.
 */
import { chartHtml } from './chart.js';
import { type RenderContext, problemBlock } from './context.js';
import { CARD_CSS } from './card-css.js';
import { attr, escapeHtml } from './html-text.js';
import { markdownHtml, markdownInlineHtml } from './markdown.js';
import { HEADER_TEMPLATES, TAG_COLOURS, TEXT_COLOURS } from './palette.js';

export { CARD_CSS };

export interface RenderedCard {
  html: string;
  problems: string[];
}

export interface RenderOptions {
  /** The display name of a mentioned user id; the id itself is shown when this gives nothing. */
  mentionName?: (id: string) => string | undefined;
}

type Node = Record<string, unknown>;
/** Where a component sits: which components may sit there follows from it (card-schema.ts). */
type Place = 'root' | 'column' | 'form';

const isNode = (v: unknown): v is Node => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The components each place may hold (column-set and form-container pages). */
const ALLOWED: Record<Place, string[]> = {
  root: ['markdown', 'div', 'hr', 'button', 'chart', 'table', 'column_set', 'form'],
  column: ['markdown', 'div', 'hr', 'button', 'chart', 'column_set'],
  form: ['markdown', 'div', 'hr', 'button', 'input', 'date_picker', 'select_static', 'column_set'],
};
const PLACE_NAMES: Record<Place, string> = { root: '卡片根节点', column: '分栏', form: '表单' };

/** Every property each component may carry (card-schema.ts; background_style from the column-set page). */
const PROPERTIES: Record<string, string[]> = {
  markdown: ['tag', 'content', 'text_size', 'text_align'],
  div: ['tag', 'text'],
  hr: ['tag'],
  button: ['tag', 'text', 'type', 'size', 'width', 'disabled', 'confirm', 'behaviors', 'name', 'form_action_type'],
  chart: ['tag', 'aspect_ratio', 'chart_spec'],
  table: ['tag', 'page_size', 'row_height', 'freeze_first_column', 'header_style', 'columns', 'rows'],
  column_set: ['tag', 'flex_mode', 'horizontal_spacing', 'background_style', 'columns'],
  column: ['tag', 'width', 'weight', 'background_style', 'elements'],
  form: ['tag', 'name', 'elements'],
  input: [
    'tag',
    'name',
    'required',
    'label',
    'label_position',
    'placeholder',
    'default_value',
    'width',
    'max_length',
    'input_type',
    'rows',
    'auto_resize',
    'max_rows',
  ],
  date_picker: ['tag', 'name', 'required', 'placeholder', 'width', 'initial_date'],
  select_static: ['tag', 'name', 'required', 'placeholder', 'width', 'options', 'initial_index'],
};

const TEXT_SIZES = [
  'heading-0',
  'heading-1',
  'heading-2',
  'heading-3',
  'heading-4',
  'heading',
  'normal',
  'notation',
  'xxxx-large',
  'xxx-large',
  'xx-large',
  'x-large',
  'large',
  'medium',
  'small',
  'x-small',
];
const ALIGNS = ['left', 'center', 'right'];
const BUTTON_TYPES = ['default', 'primary', 'danger', 'text', 'primary_text', 'danger_text', 'primary_filled', 'danger_filled', 'laser'];
const BUTTON_SIZES = ['tiny', 'small', 'medium', 'large'];
const FLEX_MODES = ['none', 'stretch', 'flow', 'bisect', 'trisect'];
const SPACINGS: Record<string, number> = { small: 4, medium: 8, large: 12, extra_large: 16 };
const DATA_TYPES = ['text', 'lark_md', 'options', 'number', 'persons', 'date', 'markdown'];
/** Default rows per table page (table page, page_size). */
const DEFAULT_PAGE_SIZE = 5;

/** Collects the error blocks of one component while it renders. */
class Checker {
  readonly errors: string[] = [];
  constructor(
    readonly ctx: RenderContext,
    readonly path: string,
  ) {}

  fail(message: string, at = this.path): void {
    this.errors.push(problemBlock(this.ctx, at, message));
  }

  /** Unknown properties of an object, named with the component they sit on. */
  keys(node: Node, allowed: readonly string[], what: string, at = this.path): void {
    for (const key of Object.keys(node)) if (!allowed.includes(key)) this.fail(`未知属性 “${key}”（${what}）`, `${at}.${key}`);
  }

  /** An optional enum property: its value, or undefined (and an error) when it is not one of `values`. */
  oneOf(node: Node, key: string, values: readonly string[]): string | undefined {
    const v = node[key];
    if (v === undefined) return undefined;
    if (typeof v === 'string' && values.includes(v)) return v;
    this.fail(`不支持的取值 ${key}: ${JSON.stringify(v)}`, `${this.path}.${key}`);
    return undefined;
  }

  bool(node: Node, key: string): boolean {
    const v = node[key];
    if (v === undefined || typeof v === 'boolean') return v === true;
    this.fail(`${key} 应为 true 或 false`, `${this.path}.${key}`);
    return false;
  }

  int(node: Node, key: string, min: number, max = Number.MAX_SAFE_INTEGER): number | undefined {
    const v = node[key];
    if (v === undefined) return undefined;
    if (typeof v === 'number' && Number.isInteger(v) && v >= min && v <= max) return v;
    this.fail(`${key} 应为 ${min} 到 ${max === Number.MAX_SAFE_INTEGER ? '∞' : max} 的整数`, `${this.path}.${key}`);
    return undefined;
  }

  string(node: Node, key: string, required = false): string | undefined {
    const v = node[key];
    if (typeof v === 'string') return v;
    if (v !== undefined || required) this.fail(`${key} 应为字符串`, `${this.path}.${key}`);
    return undefined;
  }

  /** `{tag: "plain_text", content}` with the extra properties the place allows. */
  plainText(node: Node, key: string, extra: readonly string[] = [], required = false): { content: string; node: Node } | undefined {
    const v = node[key];
    if (v === undefined && !required) return undefined;
    const at = `${this.path}.${key}`;
    if (!isNode(v) || v.tag !== 'plain_text' || typeof v.content !== 'string') {
      this.fail(`${key} 应为 {"tag":"plain_text","content":"…"}`, at);
      return undefined;
    }
    this.keys(v, ['tag', 'content', ...extra], `${key}`, at);
    return { content: v.content, node: v };
  }

  html(body: string): string {
    return body + this.errors.join('');
  }
}

/** A width property: "fill", "default"/"auto" or a px value, as a class and inline style. */
function widthOf(c: Checker, node: Node, key: string, words: readonly string[]): { cls: string; style: string } {
  const v = node[key];
  if (v === undefined) return { cls: '', style: '' };
  if (typeof v === 'string' && words.includes(v)) return { cls: ` fc-w-${v}`, style: '' };
  const px = typeof v === 'string' ? /^(\d{1,5})px$/.exec(v) : null;
  if (px) return { cls: '', style: `width:${Number(px[1])}px;max-width:100%;` };
  c.fail(`不支持的取值 ${key}: ${JSON.stringify(v)}`, `${c.path}.${key}`);
  return { cls: '', style: '' };
}

function textClasses(c: Checker, node: Node): string {
  const size = c.oneOf(node, 'text_size', TEXT_SIZES);
  const align = c.oneOf(node, 'text_align', ALIGNS);
  const colour = 'text_color' in node ? c.oneOf(node, 'text_color', TEXT_COLOURS) : undefined;
  return `${size ? ` fc-size-${size}` : ''}${align ? ` fc-align-${align}` : ''}${colour ? ` fc-c-${colour}` : ''}`;
}

// ---------------------------------------------------------------- components

function renderMarkdown(node: Node, c: Checker): string {
  const content = c.string(node, 'content', true) ?? '';
  return `<div class="fc-markdown${textClasses(c, node)}">${markdownHtml(content, c.ctx, c.path)}</div>`;
}

function renderDiv(node: Node, c: Checker): string {
  const text = c.plainText(node, 'text', ['text_size', 'text_color', 'text_align', 'lines'], true);
  if (!text) return '';
  const textChecker = new Checker(c.ctx, `${c.path}.text`);
  const classes = textClasses(textChecker, text.node);
  const lines = textChecker.int(text.node, 'lines', 1);
  c.errors.push(...textChecker.errors);
  const clamp = lines ? ` fc-clamp" style="-webkit-line-clamp:${lines}` : '';
  return `<div class="fc-text${classes}${clamp}">${escapeHtml(text.content)}</div>`;
}

function renderButton(node: Node, c: Checker, place: Place): string {
  const text = c.plainText(node, 'text', [], true)?.content ?? '';
  const type = c.oneOf(node, 'type', BUTTON_TYPES) ?? 'default';
  const size = c.oneOf(node, 'size', BUTTON_SIZES) ?? 'medium';
  const width = widthOf(c, node, 'width', ['default', 'fill']);
  const disabled = c.bool(node, 'disabled');
  let value: string | undefined;
  if (node.behaviors !== undefined) {
    const behaviors = Array.isArray(node.behaviors) ? node.behaviors : [];
    if (behaviors.length === 0) c.fail('behaviors 应为非空数组', `${c.path}.behaviors`);
    behaviors.forEach((b, i) => {
      const at = `${c.path}.behaviors[${i}]`;
      if (!isNode(b) || b.type !== 'callback' || !isNode(b.value)) {
        c.fail('不支持的按钮行为（只支持 {"type":"callback","value":{…}}）', at);
        return;
      }
      c.keys(b, ['type', 'value'], 'behaviors', at);
      value ??= JSON.stringify(b.value);
    });
  }
  let confirm: string | undefined;
  if (node.confirm !== undefined) {
    const cc = new Checker(c.ctx, `${c.path}.confirm`);
    if (isNode(node.confirm)) {
      cc.keys(node.confirm, ['title', 'text'], 'confirm');
      const title = cc.plainText(node.confirm, 'title', [], true)?.content ?? '';
      const body = cc.plainText(node.confirm, 'text', [], true)?.content ?? '';
      confirm = JSON.stringify({ title, text: body });
    } else cc.fail('confirm 应为 {title, text}');
    c.errors.push(...cc.errors);
  }
  const name = c.string(node, 'name');
  const action = node.form_action_type === undefined ? undefined : c.oneOf(node, 'form_action_type', ['submit', 'reset']);
  if (place !== 'form' && (name !== undefined || action !== undefined)) c.fail('name 和 form_action_type 只能用于表单中的按钮');
  if (place === 'form' && !name) c.fail('表单中的按钮需要 name');
  if (confirm && action !== 'submit') c.fail('confirm 只在提交表单的按钮上弹出（form_action_type "submit"）', `${c.path}.confirm`);
  return (
    `<button type="button" class="fc-btn fc-btn-${type} fc-btn-${size}${width.cls}"` +
    attr('style', width.style || undefined) +
    attr('data-value', value) +
    attr('data-confirm', confirm) +
    attr('data-form-submit', action === 'submit') +
    attr('data-form-reset', action === 'reset') +
    attr('data-name', name) +
    attr('disabled', disabled) +
    `>${escapeHtml(text)}</button>`
  );
}

/** The label and placeholder of a form field, and its common attributes. */
function fieldCommon(node: Node, c: Checker) {
  const name = c.string(node, 'name', true) ?? '';
  if (name === '') c.fail('表单字段需要非空的 name', `${c.path}.name`);
  const required = c.bool(node, 'required');
  const placeholder = c.plainText(node, 'placeholder')?.content;
  const width = widthOf(c, node, 'width', ['default', 'fill']);
  return { name, required, placeholder, width };
}

function fieldWrap(inner: string, label: string | undefined, required: boolean, position: string, width: { cls: string; style: string }): string {
  const labelHtml = label === undefined ? '' : `<span class="fc-label">${escapeHtml(label)}${required ? '<span class="fc-required">*</span>' : ''}</span>`;
  return `<label class="fc-field fc-label-${position}${width.cls}"${attr('style', width.style || undefined)}>${labelHtml}${inner}</label>`;
}

function renderInput(node: Node, c: Checker): string {
  const f = fieldCommon(node, c);
  const label = c.plainText(node, 'label')?.content;
  const position = c.oneOf(node, 'label_position', ['top', 'left']) ?? 'top';
  const defaultValue = c.string(node, 'default_value');
  const maxLength = c.int(node, 'max_length', 1, 1000);
  const kind = c.oneOf(node, 'input_type', ['text', 'multiline_text', 'password']) ?? 'text';
  const rows = c.int(node, 'rows', 1);
  c.bool(node, 'auto_resize');
  c.int(node, 'max_rows', 1);
  const common =
    attr('name', f.name) +
    attr('required', f.required) +
    attr('placeholder', f.placeholder) +
    attr('maxlength', maxLength) +
    attr('aria-label', label ?? f.placeholder);
  const inner =
    kind === 'multiline_text'
      ? `<textarea class="fc-input fc-textarea"${common}${attr('rows', rows ?? 3)}>${escapeHtml(defaultValue ?? '')}</textarea>`
      : `<input class="fc-input" type="${kind === 'password' ? 'password' : 'text'}"${common}${attr('value', defaultValue)}>`;
  return fieldWrap(inner, label, f.required, position, f.width);
}

function renderDatePicker(node: Node, c: Checker): string {
  const f = fieldCommon(node, c);
  const initial = c.string(node, 'initial_date');
  if (initial !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(initial)) c.fail('initial_date 应为 yyyy-MM-dd', `${c.path}.initial_date`);
  const inner = `<input class="fc-input fc-date" type="date"${attr('name', f.name)}${attr('required', f.required)}${attr('placeholder', f.placeholder)}${attr('aria-label', f.placeholder)}${attr('value', initial)}>`;
  return fieldWrap(inner, undefined, f.required, 'top', f.width);
}

function renderSelect(node: Node, c: Checker): string {
  const f = fieldCommon(node, c);
  const options = Array.isArray(node.options) ? node.options : [];
  if (options.length === 0) c.fail('options 应为非空数组', `${c.path}.options`);
  const initial = c.int(node, 'initial_index', 1, Math.max(1, options.length));
  const optionHtml = options.map((o, i) => {
    const at = `${c.path}.options[${i}]`;
    if (!isNode(o)) {
      c.fail('选项应为 {text, value}', at);
      return '';
    }
    const oc = new Checker(c.ctx, at);
    oc.keys(o, ['text', 'value'], '选项');
    const text = oc.plainText(o, 'text', [], true)?.content ?? '';
    const value = oc.string(o, 'value', true) ?? '';
    c.errors.push(...oc.errors);
    return `<option${attr('value', value)}${attr('selected', initial === i + 1)}>${escapeHtml(text)}</option>`;
  });
  // the placeholder is an unselectable first option, shown while nothing is chosen
  const placeholder = `<option value="" disabled${attr('selected', initial === undefined)}>${escapeHtml(f.placeholder ?? '请选择')}</option>`;
  const inner = `<select class="fc-input fc-select"${attr('name', f.name)}${attr('required', f.required)}${attr('aria-label', f.placeholder)}>${placeholder}${optionHtml.join('')}</select>`;
  return fieldWrap(inner, undefined, f.required, 'top', f.width);
}

function renderForm(node: Node, c: Checker): string {
  const name = c.string(node, 'name', true) ?? '';
  if (name === '') c.fail('表单需要非空的 name', `${c.path}.name`);
  const body = elementsHtml(node.elements, c, 'form');
  if (!/data-form-submit/.test(body)) c.fail('表单没有提交按钮（form_action_type "submit"）');
  return `<form class="fc-form" data-fc-form${attr('data-name', name)} novalidate>${body}</form>`;
}

function renderColumnSet(node: Node, c: Checker, place: Place): string {
  const mode = c.oneOf(node, 'flex_mode', FLEX_MODES) ?? 'none';
  const spacing = node.horizontal_spacing;
  let gap = 8;
  if (spacing !== undefined) {
    const px = typeof spacing === 'string' ? /^(\d{1,2})px$/.exec(spacing) : null;
    if (typeof spacing === 'string' && spacing in SPACINGS) gap = SPACINGS[spacing]!;
    else if (px) gap = Number(px[1]);
    else c.fail(`不支持的取值 horizontal_spacing: ${JSON.stringify(spacing)}`, `${c.path}.horizontal_spacing`);
  }
  const background = c.oneOf(node, 'background_style', ['default', ...TEXT_COLOURS]);
  const columns = Array.isArray(node.columns) ? node.columns : [];
  if (!Array.isArray(node.columns)) c.fail('columns 应为数组', `${c.path}.columns`);
  // inside a form a column holds form fields; elsewhere what a column may hold
  const inner: Place = place === 'form' ? 'form' : 'column';
  const cols = columns.map((col, i) => {
    const cc = new Checker(c.ctx, `${c.path}.columns[${i}]`);
    if (!isNode(col) || col.tag !== 'column') {
      cc.fail('分栏的列应为 {"tag":"column", …}');
      return cc.html('');
    }
    cc.keys(col, PROPERTIES.column!, 'column');
    const weight = cc.int(col, 'weight', 1, 5) ?? 1;
    let flex = '0 1 auto';
    const width = col.width ?? 'auto';
    const px = typeof width === 'string' ? /^(\d{1,3})px$/.exec(width) : null;
    if (width === 'weighted') flex = `${weight} 1 0`;
    else if (px) flex = `0 0 ${Number(px[1])}px`;
    else if (width !== 'auto') cc.fail(`不支持的取值 width: ${JSON.stringify(width)}`, `${cc.path}.width`);
    const bg = cc.oneOf(col, 'background_style', ['default', ...TEXT_COLOURS]);
    const style = mode === 'bisect' || mode === 'trisect' ? '' : `flex:${flex};`;
    return cc.html(`<div class="fc-col${bg ? ` fc-bg fc-t-${bg}` : ''}"${attr('style', style || undefined)}>${elementsHtml(col.elements, cc, inner)}</div>`);
  });
  return `<div class="fc-colset fc-flex-${mode}${background ? ` fc-bg fc-t-${background}` : ''}" style="gap:${gap}px">${cols.join('')}</div>`;
}

function cellHtml(value: unknown, type: string, c: Checker, at: string): string {
  if (value === undefined || value === null) return '';
  switch (type) {
    case 'lark_md':
    case 'markdown':
      if (typeof value === 'string') return markdownInlineHtml(value, c.ctx, at);
      break;
    case 'number':
      if (typeof value === 'number') return escapeHtml(String(value));
      break;
    case 'text':
      if (typeof value === 'string' || typeof value === 'number') return escapeHtml(String(value));
      break;
    case 'options':
      if (Array.isArray(value)) {
        return value
          .map((o) =>
            isNode(o) && typeof o.text === 'string'
              ? `<span class="fc-tag fc-t-${TAG_COLOURS.includes(String(o.color)) ? o.color : 'neutral'}">${escapeHtml(o.text)}</span>`
              : '',
          )
          .join(' ');
      }
      break;
    case 'persons':
      if (Array.isArray(value)) return value.map((id) => `<span class="fc-at">@${escapeHtml(c.ctx.mentionName(String(id)) ?? String(id))}</span>`).join(' ');
      break;
    case 'date':
      if (typeof value === 'number') return escapeHtml(new Date(value).toISOString().slice(0, 10));
      break;
  }
  c.fail(`单元格的值与列类型 ${type} 不符`, at);
  return '';
}

function renderTable(node: Node, c: Checker): string {
  const pageSize = c.int(node, 'page_size', 1, 10) ?? DEFAULT_PAGE_SIZE;
  const rowHeight = node.row_height;
  if (rowHeight !== undefined && !(typeof rowHeight === 'string' && /^(low|middle|high|auto|\d{2,3}px)$/.test(rowHeight))) {
    c.fail(`不支持的取值 row_height: ${JSON.stringify(rowHeight)}`, `${c.path}.row_height`);
  }
  const freeze = c.bool(node, 'freeze_first_column');
  let headerClasses = '';
  if (node.header_style !== undefined) {
    const hc = new Checker(c.ctx, `${c.path}.header_style`);
    if (isNode(node.header_style)) {
      const hs = node.header_style;
      hc.keys(hs, ['text_align', 'text_size', 'background_style', 'text_color', 'bold', 'lines'], 'header_style');
      headerClasses = textClasses(hc, hs);
      const bg = hc.oneOf(hs, 'background_style', ['grey', 'none']);
      if (bg === 'grey') headerClasses += ' fc-th-grey';
      if (hc.bool(hs, 'bold')) headerClasses += ' fc-th-bold';
      hc.int(hs, 'lines', 1);
    } else hc.fail('header_style 应为对象');
    c.errors.push(...hc.errors);
  }
  const columns: Array<{ name: string; type: string; width: string }> = [];
  const headers: string[] = [];
  (Array.isArray(node.columns) ? node.columns : []).forEach((col, i) => {
    const cc = new Checker(c.ctx, `${c.path}.columns[${i}]`);
    if (!isNode(col)) return c.fail('列应为对象', cc.path);
    cc.keys(col, ['name', 'display_name', 'data_type', 'width'], '表格列');
    const name = cc.string(col, 'name', true) ?? '';
    const type = cc.oneOf(col, 'data_type', DATA_TYPES) ?? 'text';
    if (col.data_type === undefined) cc.fail('列需要 data_type');
    const width = typeof col.width === 'string' && /^\d+(\.\d+)?(px|%)$/.test(col.width) ? `width:${col.width};` : '';
    if (col.width !== undefined && col.width !== 'auto' && !width) cc.fail(`不支持的取值 width: ${JSON.stringify(col.width)}`, `${cc.path}.width`);
    columns.push({ name, type, width });
    c.errors.push(...cc.errors);
    const display = typeof col.display_name === 'string' ? col.display_name : name;
    headers.push(
      `<th class="fc-th${type === 'number' ? ' fc-th-number' : ''}${headerClasses}"${attr('style', width || undefined)}>${escapeHtml(display)}</th>`,
    );
  });
  if (columns.length === 0) c.fail('表格需要 columns');
  const rows = Array.isArray(node.rows) ? node.rows : [];
  if (!Array.isArray(node.rows)) c.fail('rows 应为数组', `${c.path}.rows`);
  const names = new Set(columns.map((col) => col.name));
  const pages = Math.max(1, Math.ceil(rows.length / pageSize));
  const strayKeys = new Set<string>();
  const body = rows.map((row, r) => {
    const at = `${c.path}.rows[${r}]`;
    if (!isNode(row)) {
      c.fail('行应为对象', at);
      return '';
    }
    for (const key of Object.keys(row)) {
      // once per key: a column missing for every row is one mistake
      if (!names.has(key) && !strayKeys.has(key)) c.fail(`行中的 “${key}” 不是表格的列`, `${at}.${key}`);
      if (!names.has(key)) strayKeys.add(key);
    }
    const page = Math.floor(r / pageSize) + 1;
    const cells = columns.map((col) => `<td class="fc-td fc-td-${col.type}">${cellHtml(row[col.name], col.type, c, `${at}.${col.name}`)}</td>`);
    return `<tr data-fc-page-of="${page}"${attr('hidden', page > 1)}>${cells.join('')}</tr>`;
  });
  const pager =
    pages > 1
      ? `<div class="fc-pager">${Array.from(
          { length: pages },
          (_, p) =>
            `<button type="button" class="fc-page${p === 0 ? ' fc-page-current' : ''}" data-fc-page="${p + 1}"${attr('aria-current', p === 0 ? 'page' : undefined)}>${p + 1}</button>`,
        ).join('')}</div>`
      : '';
  return (
    `<div class="fc-table${freeze ? ' fc-freeze' : ''}" data-fc-table data-fc-pages="${pages}">` +
    `<div class="fc-table-scroll"><table><thead><tr>${headers.join('')}</tr></thead><tbody>${body.join('')}</tbody></table></div>` +
    `${pager}</div>`
  );
}

// ---------------------------------------------------------------- elements and the card

function elementHtml(el: unknown, ctx: RenderContext, path: string, place: Place): string {
  const c = new Checker(ctx, path);
  if (!isNode(el) || typeof el.tag !== 'string') return problemBlock(ctx, path, '未知组件（缺少 tag）');
  const tag = el.tag;
  if (!(tag in PROPERTIES) || tag === 'column') return problemBlock(ctx, path, `未知组件 “${tag}”`);
  if (!ALLOWED[place].includes(tag)) return problemBlock(ctx, path, `组件 “${tag}” 不能放在${PLACE_NAMES[place]}中`);
  c.keys(el, PROPERTIES[tag]!, tag);
  let body: string;
  switch (tag) {
    case 'markdown':
      body = renderMarkdown(el, c);
      break;
    case 'div':
      body = renderDiv(el, c);
      break;
    case 'hr':
      body = '<hr class="fc-hr">';
      break;
    case 'button':
      body = renderButton(el, c, place);
      break;
    case 'chart':
      c.oneOf(el, 'aspect_ratio', ['1:1', '2:1', '4:3', '16:9']);
      body = chartHtml(el, ctx, path);
      break;
    case 'table':
      body = renderTable(el, c);
      break;
    case 'column_set':
      body = renderColumnSet(el, c, place);
      break;
    case 'form':
      body = renderForm(el, c);
      break;
    case 'input':
      body = renderInput(el, c);
      break;
    case 'date_picker':
      body = renderDatePicker(el, c);
      break;
    default:
      body = renderSelect(el, c);
  }
  return c.html(body);
}

function elementsHtml(elements: unknown, c: Checker, place: Place): string {
  if (!Array.isArray(elements)) {
    c.fail('elements 应为数组', `${c.path}.elements`);
    return '';
  }
  return elements.map((el, i) => elementHtml(el, c.ctx, `${c.path}.elements[${i}]`, place)).join('');
}

function headerHtml(header: unknown, c: Checker): string {
  if (!isNode(header)) {
    c.fail('header 应为对象');
    return c.html('');
  }
  c.keys(header, ['title', 'subtitle', 'template', 'text_tag_list'], 'header');
  const title = c.plainText(header, 'title', [], true)?.content ?? '';
  const subtitle = c.plainText(header, 'subtitle')?.content;
  const template = c.oneOf(header, 'template', HEADER_TEMPLATES) ?? 'default';
  const tags: string[] = [];
  if (header.text_tag_list !== undefined) {
    const list = Array.isArray(header.text_tag_list) ? header.text_tag_list : [];
    if (!Array.isArray(header.text_tag_list) || list.length > 3) c.fail('text_tag_list 应为最多 3 个标签的数组', `${c.path}.text_tag_list`);
    list.forEach((t, i) => {
      const tc = new Checker(c.ctx, `${c.path}.text_tag_list[${i}]`);
      if (!isNode(t) || t.tag !== 'text_tag') return c.errors.push(problemBlock(c.ctx, tc.path, '标签应为 {"tag":"text_tag", …}'));
      tc.keys(t, ['tag', 'text', 'color'], 'text_tag');
      const text = tc.plainText(t, 'text', [], true)?.content ?? '';
      const colour = tc.oneOf(t, 'color', TAG_COLOURS) ?? 'neutral';
      c.errors.push(...tc.errors);
      tags.push(`<span class="fc-tag fc-t-${colour} fc-c-${colour}">${escapeHtml(text)}</span>`);
    });
  }
  return c.html(
    `<div class="fc-header fc-t-${template}">` +
      `<div class="fc-title-row"><div class="fc-title">${escapeHtml(title)}</div>${tags.join('')}</div>` +
      (subtitle === undefined ? '' : `<div class="fc-subtitle">${escapeHtml(subtitle)}</div>`) +
      `</div>`,
  );
}

/** The card as HTML, with every problem found on the way; never throws on a malformed card. */
export function renderCardHtml(card: unknown, options: RenderOptions = {}): RenderedCard {
  const ctx: RenderContext = { problems: [], mentionName: options.mentionName ?? (() => undefined) };
  const c = new Checker(ctx, '$');
  if (!isNode(card)) {
    const block = problemBlock(ctx, '$', '卡片应为 JSON 对象');
    return { html: `<div class="fc-card" data-testid="card">${block}</div>`, problems: ctx.problems };
  }
  c.keys(card, ['schema', 'config', 'header', 'body'], '卡片');
  if (card.schema !== '2.0') c.fail(`只支持卡片 JSON 2.0（schema: ${JSON.stringify(card.schema)}）`, '$.schema');
  if (card.config !== undefined) {
    if (isNode(card.config)) {
      c.keys(card.config, ['update_multi'], 'config', '$.config');
      if (card.config.update_multi !== undefined && card.config.update_multi !== true) c.fail('update_multi 在 2.0 中只能为 true', '$.config.update_multi');
    } else c.fail('config 应为对象', '$.config');
  }
  const head = card.header === undefined ? '' : headerHtml(card.header, new Checker(ctx, '$.header'));
  let body = '';
  if (isNode(card.body)) {
    const bc = new Checker(ctx, '$.body');
    bc.keys(card.body, ['elements'], 'body');
    body = bc.html(elementsHtml(card.body.elements, bc, 'root'));
  } else c.fail('卡片缺少 body', '$.body');
  return {
    html: `<div class="fc-card" data-testid="card">${head}<div class="fc-body">${body}${c.errors.join('')}</div></div>`,
    problems: ctx.problems,
  };
}
