/**
 * The card JSON 2.0 schema holds every card duban renders, and refuses what the platform
 * would refuse. Mutations start from real sample cards, so they test the cards we send.
 */
import { describe, expect, it } from 'vitest';
import { CARD_MAX_COMPONENTS, validateCallbackAnswer, validateCardSchema } from '../../cards/card-schema.js';
import { checkCardLimits, type CardLimitViolation } from '../../cards/limits.js';
import { reminderDigestCard } from '../../cards/reminder-digest.card.js';
import { weeklySummaryCard } from '../../cards/weekly-summary.card.js';
import { cardSamples } from '../../scripts/card-samples.js';

type Node = Record<string, any>;

function sample(type: string, state: string): Node {
  const found = cardSamples().find((s) => s.type === type && s.state === state);
  if (!found) throw new Error(`no sample ${type}--${state}`);
  return structuredClone(found.card) as Node;
}

/** Every component with a tag, with its parent array (to move or remove it). */
function components(card: Node, tag: string, where: (n: Node, inForm: boolean) => boolean = () => true): Array<{ node: Node; parent: Node[] }> {
  const out: Array<{ node: Node; parent: Node[] }> = [];
  const visit = (value: unknown, parent: Node[] | null, inForm: boolean) => {
    if (Array.isArray(value)) return value.forEach((v) => visit(v, value as Node[], inForm));
    if (typeof value !== 'object' || value === null) return;
    const node = value as Node;
    if (node.tag === tag && parent && where(node, inForm)) out.push({ node, parent });
    for (const [key, child] of Object.entries(node)) if (key !== 'rows' && key !== 'chart_spec') visit(child, null, inForm || node.tag === 'form');
  };
  visit(card, null, false);
  if (out.length === 0) throw new Error(`no ${tag} in the card`);
  return out;
}
const first = (card: Node, tag: string, where?: (n: Node, inForm: boolean) => boolean) => components(card, tag, where)[0]!.node;

const show = (v: CardLimitViolation[]) => v.map((x) => `${x.rule} at ${x.path}: ${x.message}`);

describe('every card duban renders matches the schema', () => {
  for (const s of cardSamples()) {
    it(`${s.type}--${s.state}`, () => expect(show(checkCardLimits(s.card))).toEqual([]));
  }

  it('the weekly summary (chart, lark_md table) and the reminder digest', () => {
    const row = {
      code: '1.2.3',
      text: '整改',
      department: '组织部',
      ownerName: '张三',
      ownerOpenId: 'ou_abc',
      countdown: '已逾期 5 天',
      daysOverdue: 5,
      dueLabel: '10月8日',
    };
    const rows = [row, { ...row, code: '1.2.4' }];
    const summary = weeklySummaryCard({
      campaignName: '巡察整改',
      weekLabel: '2025年第42周',
      windowLabel: '10月6日—10月12日',
      asOfLabel: '10月13日',
      total: 10,
      closed: 2,
      submitted: 2,
      inProgress: 6,
      overdueCount: 2,
      completionRate: 0.2,
      previousRate: 0.1,
      closedThisWeek: rows,
      submittedList: rows,
      newlyOverdue: rows,
      overdue: rows,
      dueNextWeek: rows,
      departments: [{ department: '组织部', total: 10, closed: 2, submitted: 2, inProgress: 4, overdue: 2, rate: 0.2 }],
      trend: [
        { label: '10月6日', rate: 0.1 },
        { label: '10月13日', rate: 0.2 },
      ],
      mentionOwners: true,
    });
    expect(JSON.stringify(summary)).toContain('"tag":"chart"');
    expect(show(checkCardLimits(summary))).toEqual([]);
    const digest = reminderDigestCard({
      dateLabel: '10月9日',
      recipientName: '张三',
      dueToday: rows,
      overdue: rows,
      dueSoon: rows,
      checkins: rows,
      escalations: rows,
    });
    expect(show(checkCardLimits(digest))).toEqual([]);
  });
});

/** The one violation a mutation must produce. */
function expectViolation(card: Node, rule: CardLimitViolation['rule'], path: string | RegExp, message: RegExp) {
  const found = validateCardSchema(card);
  const match = found.filter((v) => v.rule === rule && (typeof path === 'string' ? v.path === path : path.test(v.path)) && message.test(v.message));
  expect(match, show(found).join('\n')).toHaveLength(1);
}

describe('mutations of real cards are refused with a message naming what is wrong', () => {
  it('unknown properties: root, header, markdown, button, form field, table column', () => {
    const root = sample('measure', 'role-owner');
    root.fallback = {};
    expectViolation(root, 'schema', '$', /unknown property "fallback"/);

    const header = sample('measure', 'role-owner');
    header.header.icon = { tag: 'standard_icon', token: 'x' };
    expectViolation(header, 'schema', '$.header', /unknown property "icon"/);

    const md = sample('measure', 'role-owner');
    first(md, 'markdown').href = {};
    expectViolation(md, 'schema', /markdown|elements/, /^markdown: unknown property "href"/);

    const btn = sample('measure', 'role-owner');
    first(btn, 'button').value = { action: 'measure.history' }; // the 1.0 way of a callback
    expectViolation(btn, 'schema', /columns\[\d+\]\.elements\[0\]$/, /^button: unknown property "value"/);

    const field = sample('measure', 'form-extend');
    first(field, 'date_picker').initial_time = '10:00';
    expectViolation(field, 'schema', /\.elements\[\d+\]$/, /^date_picker: unknown property "initial_time"/);

    const column = sample('status', 'normal');
    first(column, 'table').columns[0].align = 'left';
    expectViolation(column, 'schema', /\.columns\[0\]$/, /^table: unknown property "align"/);
  });

  it('select_static takes initial_index (1-based, within the options), never initial_option', () => {
    const card = sample('measure', 'form-report');
    const select = first(card, 'select_static');
    delete select.initial_option;
    select.initial_index = select.options.length;
    expect(show(validateCardSchema(card))).toEqual([]);
    select.initial_index = select.options.length + 1;
    expectViolation(card, 'schema', /\.initial_index$/, /initial_index \d+ is past the \d+ options/);
    select.initial_index = 0;
    expectViolation(card, 'schema', /\.initial_index$/, /initial_index/);
    delete select.initial_index;
    select.initial_option = select.options[0].value;
    expectViolation(card, 'schema', /\.elements\[\d+\]$/, /^select_static: unknown property "initial_option"/);
  });

  it('a form inside a column_set, a table or a form inside a form', () => {
    const card = sample('measure', 'form-extend');
    const { node: formNode, parent } = components(card, 'form')[0]!;
    parent.splice(parent.indexOf(formNode), 1);
    card.body.elements.push({ tag: 'column_set', columns: [{ tag: 'column', elements: [formNode] }] });
    expectViolation(card, 'placement', /columns\[0\]\.elements\[0\]$/, /"form" cannot sit in a column/);

    const withTable = sample('measure', 'form-extend');
    first(withTable, 'form').elements.unshift(first(sample('status', 'normal'), 'table'));
    expectViolation(withTable, 'placement', /\.elements\[\d+\]\.elements\[0\]$/, /"table" cannot sit in a form/);

    const formInForm = sample('measure', 'form-extend');
    const outer = first(formInForm, 'form');
    outer.elements.unshift({ ...structuredClone(outer), name: 'inner_form' });
    expectViolation(formInForm, 'placement', /\.elements\[\d+\]\.elements\[0\]$/, /"form" cannot sit in a form/);
  });

  it('a form without a submit button, and duplicate field names', () => {
    const noSubmit = sample('measure', 'form-extend');
    const f = first(noSubmit, 'form');
    f.elements = f.elements.filter((e: Node) => !(e.tag === 'button' && e.form_action_type === 'submit'));
    expectViolation(noSubmit, 'form_submit', /^\$\.body\.elements\[\d+\]$/, /a form needs a submit button/);

    const dup = sample('measure', 'form-extend');
    const input = first(dup, 'input');
    first(dup, 'date_picker').name = input.name;
    expectViolation(dup, 'form_names', /\.name$/, new RegExp(`name "${input.name}" is also used at`));
  });

  it('confirm only on a button that submits a form', () => {
    const outside = sample('measure', 'role-owner');
    first(outside, 'button', (_, inForm) => !inForm).confirm = {
      title: { tag: 'plain_text', content: '确认' },
      text: { tag: 'plain_text', content: '确认？' },
    };
    expectViolation(outside, 'schema', /\.confirm$/, /^button: confirm: only allowed on a button that submits a form/);

    const submit = sample('measure', 'form-submit');
    const submitButton = first(submit, 'button', (b, inForm) => inForm && b.form_action_type === 'submit');
    expect(submitButton.confirm).toBeDefined(); // the form that asks before submitting passes as is
    expect(show(validateCardSchema(submit))).toEqual([]);
    submitButton.form_action_type = 'reset';
    expectViolation(submit, 'schema', /\.confirm$/, /only allowed on a button that submits a form/);
  });

  it('wrong enum values: header template pink, button type big', () => {
    const pink = sample('measure', 'role-owner');
    pink.header.template = 'pink';
    expectViolation(pink, 'schema', '$.header.template', /template: Invalid option: expected one of .*"blue"/);
    const big = sample('measure', 'role-owner');
    first(big, 'button').type = 'big';
    expectViolation(big, 'schema', /\.type$/, /^button: type: Invalid option: expected one of .*"primary_filled"/);
  });

  it('broken limits: page_size 11, max_length 1001, six tables, 201 components', () => {
    const page = sample('status', 'normal');
    first(page, 'table').page_size = 11;
    expectViolation(page, 'schema', /\.page_size$/, /^table: page_size: Too big: expected number to be <=10/);

    const long = sample('measure', 'form-extend');
    first(long, 'input').max_length = 1001;
    expectViolation(long, 'schema', /\.max_length$/, /^input: max_length: Too big: expected number to be <=1000/);

    const tables = sample('status', 'normal');
    const table = first(tables, 'table');
    table.rows = table.rows.slice(0, 1);
    const count = components(tables, 'table').length;
    for (let i = count; i < 6; i++) tables.body.elements.push(structuredClone(table));
    expectViolation(tables, 'placement', '$', /6 tables; the limit is 5/);

    const many = sample('history', 'few');
    const tagged = JSON.stringify(many).match(/"tag":/g)!.length;
    for (let i = tagged; i <= CARD_MAX_COMPONENTS; i++) many.body.elements.push({ tag: 'hr' });
    expectViolation(many, 'components', '$', /201 components; the limit is 200/);
    many.body.elements.pop();
    expect(validateCardSchema(many).map((v) => v.rule)).not.toContain('components');
  });
});

describe('callback answers', () => {
  it('accept {} , a toast, a raw card', () => {
    expect(validateCallbackAnswer({})).toEqual([]);
    expect(validateCallbackAnswer({ toast: { type: 'success', content: '已记录' } })).toEqual([]);
    expect(validateCallbackAnswer({ toast: { type: 'info', content: '好' }, card: { type: 'raw', data: sample('history', 'few') } })).toEqual([]);
  });

  it('refuse a wrong toast type, an unknown property, a card that is not raw', () => {
    expect(show(validateCallbackAnswer({ toast: { type: 'ok', content: 'x' } }))).toEqual([
      expect.stringMatching(/^schema at \$\.toast\.type: type: Invalid option/),
    ]);
    expect(show(validateCallbackAnswer({ toast: { type: 'info', content: 'x' }, message: 'x' }))).toEqual(['schema at $: unknown property "message"']);
    expect(show(validateCallbackAnswer({ card: { type: 'template', data: {} } }))).toEqual([
      expect.stringMatching(/^schema at \$\.card\.type: type: Invalid input: expected "raw"/),
    ]);
  });
});
