import { describe, expect, it } from 'vitest';
import {
  MEASURE_EXTEND,
  MEASURE_FORM,
  MEASURE_HISTORY,
  MEASURE_REPORT,
  MEASURE_RETURN,
  MEASURE_SUBMIT,
  MEASURE_VERIFY,
  measureFieldNames,
} from '../../cards/actions.js';
import { measureCard } from '../../cards/measure.card.js';
import { previewCard } from '../../cards/preview.js';
import { DEADLINE_STATES } from '../../cards/views.js';
import { LEADER_ACTIONS, OWNER_ACTIONS, sampleMeasure, VIEWER_ACTIONS } from '../../scripts/card-samples.js';
import { checkCollectedCards, collectCard, snapshotCardSamples } from '../helpers/card-collector.js';
import { buttons, callbackValues, findAll } from '../helpers/card-query.js';

describe('measure card', () => {
  snapshotCardSamples('measure');

  it('titles the card with the code and puts department and deadline in the subtitle', () => {
    const card = collectCard('measure', measureCard(sampleMeasure()));
    expect(card.header.title.content).toBe('整改措施 1.2.4');
    expect(card.header.subtitle?.content).toBe('组织部 · 截止 2025年3月底前');
  });

  it('shows the extended deadline in the subtitle and both dates in the body once an extension is approved', () => {
    const card = collectCard('extended', measureCard(sampleMeasure({ dueDate: '2025-06-30', extendedFrom: '2025-03-31' })));
    expect(card.header.subtitle?.content).toBe('组织部 · 截止 2025-06-30');
    // dates need no escaping: a dash is markup only at the start of a line
    expect(previewCard(card)).toContain('原定 2025年3月底前（2025-03-31），延期至 2025-06-30');
  });

  it('colours the header by deadline state', () => {
    const templates = Object.fromEntries(
      DEADLINE_STATES.map((state) => [state, collectCard(state, measureCard(sampleMeasure({ deadlineState: state }))).header.template]),
    );
    expect(templates).toEqual({
      on_track: 'blue',
      due_soon: 'orange',
      due_today: 'orange',
      overdue: 'red',
      immediate: 'turquoise',
      ongoing: 'wathet',
      submitted: 'violet',
      closed: 'green',
      returned: 'carmine',
    });
  });

  it('shows the countdown label as given', () => {
    const card = collectCard('countdown', measureCard(sampleMeasure({ deadlineState: 'overdue', countdownLabel: '已逾期 5 天' })));
    expect(JSON.stringify(card)).toContain("<font color='red'>已逾期 5 天</font>");
  });

  it('offers exactly the buttons in view.actions, each carrying the measure id and version', () => {
    const owner = collectCard('owner', measureCard(sampleMeasure({ actions: OWNER_ACTIONS, version: 9 })));
    expect(buttons(owner).map((b) => b.label)).toEqual(['汇报进展', '申请销号', '申请延期', '查看记录']);
    expect(callbackValues(owner)).toEqual([
      { action: MEASURE_FORM, measureId: 7, version: 9, form: 'report' },
      { action: MEASURE_FORM, measureId: 7, version: 9, form: 'submit' },
      { action: MEASURE_FORM, measureId: 7, version: 9, form: 'extend' },
      { action: MEASURE_HISTORY, measureId: 7, version: 9 },
    ]);
    const leader = collectCard('leader', measureCard(sampleMeasure({ actions: LEADER_ACTIONS, status: 'submitted' })));
    expect(buttons(leader).map((b) => b.label)).toEqual(['通过销号', '退回', '查看记录']);
    const verify = buttons(leader)[0]!;
    expect(verify.value).toEqual({ action: MEASURE_VERIFY, measureId: 7, version: 5 });
    expect(verify.confirm).toBeDefined();
    expect(verify.node.form_action_type).toBe('submit');
    const viewer = collectCard('viewer', measureCard(sampleMeasure({ actions: VIEWER_ACTIONS })));
    expect(buttons(viewer).map((b) => b.label)).toEqual(['查看记录']);
    const none = collectCard('none', measureCard(sampleMeasure({ actions: [] })));
    expect(buttons(none)).toEqual([]);
  });

  it('shows no form unless one is opened', () => {
    const card = collectCard('closed forms', measureCard(sampleMeasure()));
    expect(findAll(card, 'form')).toEqual([]);
  });

  it('opens the report form with a multi-line input, a percent select and a submit', () => {
    const card = collectCard('report form', measureCard(sampleMeasure({ percent: 35 }), { openForm: 'report' }));
    const names = measureFieldNames(7);
    const [form] = findAll(card, 'form');
    expect(form?.name).toBe(names.reportForm);
    const [input] = findAll(form, 'input');
    expect(input).toMatchObject({ name: names.reportText, input_type: 'multiline_text', required: true });
    const [select] = findAll(form, 'select_static');
    // preselected by its 1-based position (35 sits between 30 and 40), never by initial_option
    const values = (select!.options as Array<{ value: string }>).map((o) => o.value);
    expect(select).toMatchObject({ name: names.reportPercent, initial_index: values.indexOf('35') + 1 });
    expect(values[(select!.initial_index as number) - 1]).toBe('35');
    expect(select).not.toHaveProperty('initial_option');
    const submit = buttons(form).find((b) => b.node.form_action_type === 'submit');
    expect(submit?.value).toEqual({ action: MEASURE_REPORT, measureId: 7, version: 5 });
    expect(submit?.node.name).toBe(names.reportSubmit);
  });

  it('asks for confirmation before submitting for verification, with an optional note', () => {
    const card = collectCard('submit form', measureCard(sampleMeasure(), { openForm: 'submit' }));
    const [form] = findAll(card, 'form');
    expect(findAll(form, 'input')[0]).toMatchObject({ name: measureFieldNames(7).submitNote, required: false });
    const submit = buttons(form)[0]!;
    expect(submit.value).toEqual({ action: MEASURE_SUBMIT, measureId: 7, version: 5 });
    expect(submit.confirm).toMatchObject({ title: { content: '申请销号' } });
  });

  it('opens the extension form with a date picker starting at the current due date and a reason', () => {
    const card = collectCard('extend form', measureCard(sampleMeasure(), { openForm: 'extend' }));
    const [form] = findAll(card, 'form');
    expect(findAll(form, 'date_picker')[0]).toMatchObject({ name: measureFieldNames(7).extendDate, initial_date: '2025-03-31', required: true });
    expect(findAll(form, 'input')[0]).toMatchObject({ name: measureFieldNames(7).extendReason, required: true });
    expect(buttons(form)[0]!.value).toEqual({ action: MEASURE_EXTEND, measureId: 7, version: 5 });
  });

  it('lets a verifier return a measure with a required reason', () => {
    const card = collectCard('return form', measureCard(sampleMeasure({ actions: LEADER_ACTIONS }), { openForm: 'return' }));
    const form = findAll(card, 'form').find((f) => f.name === measureFieldNames(7).returnForm);
    expect(findAll(form, 'input')[0]).toMatchObject({ name: measureFieldNames(7).returnReason, required: true });
    expect(buttons(form)[0]!.value).toEqual({ action: MEASURE_RETURN, measureId: 7, version: 5 });
  });

  it('never opens a form the viewer may not use', () => {
    const card = collectCard('forbidden form', measureCard(sampleMeasure({ actions: VIEWER_ACTIONS }), { openForm: 'report' }));
    expect(findAll(card, 'form')).toEqual([]);
  });

  it('says so when nothing has been reported yet, and shows a pending extension', () => {
    const card = collectCard(
      'no report',
      measureCard(sampleMeasure({ latestReport: null, pendingExtension: { newDate: '2025-06-30', reason: '等待会员大会' } })),
    );
    const json = JSON.stringify(card);
    expect(json).toContain('暂无进展汇报');
    expect(json).toContain('改至 2025-06-30');
  });
});

checkCollectedCards();
