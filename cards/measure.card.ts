/**
 * The measure card: where an owner reports, submits and asks for more time, and a
 * verifier closes or returns. Buttons come from `view.actions` only; one inline form
 * is open at a time (forms may only sit at the card root, so all of them at once
 * would make a very long card on a phone).
 */
import {
  EVIDENCE_SEND,
  EVIDENCE_START,
  MEASURE_EXTEND,
  MEASURE_FORM,
  MEASURE_HISTORY,
  MEASURE_REPORT,
  MEASURE_RETURN,
  MEASURE_SUBMIT,
  MEASURE_VERIFY,
  measureFieldNames,
  type CardActionName,
  type MeasureFormKind,
} from './actions.js';
import {
  bold,
  button,
  buttonRow,
  card,
  colored,
  confirmedAction,
  datePicker,
  fields,
  form,
  hr,
  joinMarkup,
  link,
  markdown,
  md,
  note,
  selectStatic,
  STATE_COLORS,
  submitButton,
  text,
  textInput,
  type Card,
  type CardElement,
} from './elements.js';
import { excerpt } from './escape.js';
import { STATUS_LABELS } from '../src/domain/labels.js';
import type { EvidenceItemView, MeasureAction, MeasureEvidenceView, MeasureView } from './views.js';

export type MeasureCardOptions = {
  /** the inline form to show; ignored unless the matching action is in view.actions */
  openForm?: MeasureFormKind | null;
};

const FORM_ACTION: Record<MeasureFormKind, MeasureAction> = {
  report: 'report',
  submit: 'submit',
  extend: 'extend',
  return: 'return',
};

export function measureCard(view: MeasureView, options: MeasureCardOptions = {}): Card {
  const open = options.openForm && view.actions.includes(FORM_ACTION[options.openForm]) ? options.openForm : null;
  const subtitle = [view.leadDepartment, `截止 ${currentDeadline(view)}`].filter(Boolean).join(' · ');
  return card({
    title: `整改措施 ${view.code}`,
    subtitle,
    template: STATE_COLORS[view.deadlineState],
    tag: { text: STATUS_LABELS[view.status], color: STATE_COLORS[view.deadlineState] },
    elements: [...measureBody(view), ...measureButtons(view, open), ...measureForm(view, open)],
  });
}

function measureBody(view: MeasureView): CardElement[] {
  const elements: CardElement[] = [
    note(`${view.campaignName} · ${view.categoryTitle}`),
    markdown(md`${bold('问题')}：${view.problemTitle}`),
    markdown(md`${bold('措施')}：${view.text}`),
    ...fields([
      ['责任领导', view.leaderName],
      ['责任人', view.ownerName],
      ['截止时间', deadlineMarkup(view)],
      ['进度', md`${STATUS_LABELS[view.status]} · ${view.percent}%`],
    ]),
  ];
  if (view.coDepartments.length > 0) elements.push(markdown(md`${bold('配合部门')}：${view.coDepartments.join('、')}`));
  if (view.completionStandard) elements.push(markdown(md`${bold('完成标准')}：${view.completionStandard}`));
  if (view.pendingExtension) {
    const ext = view.pendingExtension;
    elements.push(markdown(md`${colored('延期申请待审批', 'orange')}：改至 ${ext.newDate}，理由：${excerpt(ext.reason, 120)}`));
  }
  elements.push(hr());
  if (view.latestReport) {
    const r = view.latestReport;
    elements.push(markdown(md`${bold('最新进展')}（${r.author} · ${r.date}）`));
    elements.push(text(excerpt(r.excerpt, 300), { lines: 6 }));
  } else {
    elements.push(note('暂无进展汇报'));
  }
  if (view.evidence) elements.push(...evidenceSection(view.code, view.evidence));
  return elements;
}

/** How many pieces of evidence the card names; the rest are counted (/佐证 lists them all). */
export const CARD_EVIDENCE_ITEMS = 5;

function evidenceLine(e: EvidenceItemView) {
  const what = e.kind === 'link' && e.url ? link(e.url) : md`${e.kind === 'image' ? '[图片] ' : ''}${e.name}`;
  const about = [e.size, e.by, e.date].filter(Boolean).join(' · ');
  return md`- ${what}（${about}）`;
}

function evidenceSection(code: string, e: MeasureEvidenceView): CardElement[] {
  const out: CardElement[] = [hr()];
  if (e.total === 0) {
    const need = e.waived ? '' : e.required ? '，申请销号前需上传' : '';
    out.push(markdown(md`${bold('佐证材料')}：暂无${need}`));
  } else {
    const lines = e.items.slice(0, CARD_EVIDENCE_ITEMS).map(evidenceLine);
    const more = e.total - lines.length;
    out.push(markdown(md`${bold('佐证材料')}（${e.total} 件）`));
    out.push(markdown(md`${joinMarkup(lines, '\n')}${more > 0 ? md`\n另有 ${more} 件，发送 /佐证 ${code} 查看全部` : ''}`));
  }
  if (e.waived) out.push(markdown(md`${colored('已免于佐证', 'grey')}（${e.waived.by}：${excerpt(e.waived.reason, 120)}）`));
  return out;
}

/** The deadline in force: the extended date once an extension was approved, else as written. */
function currentDeadline(view: MeasureView): string {
  return view.extendedFrom && view.dueDate ? view.dueDate : view.deadlineText;
}

function deadlineMarkup(view: MeasureView) {
  // 时限待定: nothing was written, the countdown line says it all.
  if (!view.deadlineText && !view.dueDate) return md`${colored(view.countdownLabel, STATE_COLORS[view.deadlineState])}`;
  let date;
  if (view.extendedFrom && view.dueDate) {
    const original = view.deadlineText && view.deadlineText !== view.extendedFrom ? `${view.deadlineText}（${view.extendedFrom}）` : view.extendedFrom;
    date = md`原定 ${original}，延期至 ${view.dueDate}`;
  } else {
    date = view.dueDate && view.dueDate !== view.deadlineText ? md`${view.deadlineText}（${view.dueDate}）` : md`${view.deadlineText}`;
  }
  return md`${date}\n${colored(view.countdownLabel, STATE_COLORS[view.deadlineState])}`;
}

type ButtonSpec = { action: MeasureAction; label: string; form?: MeasureFormKind; type?: 'primary' | 'danger' };

const BUTTONS: ButtonSpec[] = [
  { action: 'report', label: '汇报进展', form: 'report', type: 'primary' },
  { action: 'submit', label: '申请销号', form: 'submit' },
  { action: 'extend', label: '申请延期', form: 'extend' },
  { action: 'verify', label: '通过销号', type: 'primary' },
  { action: 'return', label: '退回', form: 'return', type: 'danger' },
  { action: 'evidence_upload', label: '上传佐证' },
  { action: 'evidence_files', label: '获取佐证文件' },
  { action: 'history', label: '查看记录' },
];

/** Buttons that call back without a form, by the action they stand for. */
const PLAIN_BUTTON_ACTION: Partial<Record<MeasureAction, CardActionName>> = {
  history: MEASURE_HISTORY,
  evidence_upload: EVIDENCE_START,
  evidence_files: EVIDENCE_SEND,
};

function measureValue(view: MeasureView, action: CardActionName, form?: MeasureFormKind) {
  return { action, measureId: view.id, version: view.version, form };
}

function measureButtons(view: MeasureView, open: MeasureFormKind | null): CardElement[] {
  const out: CardElement[] = [];
  const buttons: CardElement[] = [];
  for (const b of BUTTONS.filter((spec) => view.actions.includes(spec.action))) {
    if (b.form) {
      buttons.push(
        button({ label: b.label, value: measureValue(view, MEASURE_FORM, b.form), type: open === b.form ? 'primary_filled' : (b.type ?? 'default') }),
      );
    } else if (b.action === 'verify') {
      // Closing is final: it gets the confirmation dialog, which only a form's submit shows.
      out.push(
        confirmedAction({
          name: `verify_${view.id}`,
          label: b.label,
          type: 'primary_filled',
          value: measureValue(view, MEASURE_VERIFY),
          confirm: { title: '通过销号', text: `确认措施 ${view.code} 已整改到位，予以销号？` },
        }),
      );
    } else {
      buttons.push(button({ label: b.label, value: measureValue(view, PLAIN_BUTTON_ACTION[b.action] ?? MEASURE_HISTORY) }));
    }
  }
  if (buttons.length > 0) out.push(buttonRow(buttons));
  return out;
}

const PERCENT_OPTIONS = [0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100];

function percentOptions(current: number) {
  const values = PERCENT_OPTIONS.includes(current) ? PERCENT_OPTIONS : [...PERCENT_OPTIONS, current].sort((a, b) => a - b);
  return values.map((v) => ({ label: `${v}%`, value: String(v) }));
}

function measureForm(view: MeasureView, open: MeasureFormKind | null): CardElement[] {
  if (!open) return [];
  const names = measureFieldNames(view.id);
  switch (open) {
    case 'report':
      return [
        form(names.reportForm, [
          textInput({
            name: names.reportText,
            label: '本次进展',
            placeholder: '请填写整改进展，可多行',
            multiline: true,
            required: true,
          }),
          markdown(md`${bold('完成进度')}`),
          selectStatic({
            name: names.reportPercent,
            placeholder: '请选择完成进度',
            options: percentOptions(view.percent),
            initial: String(view.percent),
            required: true,
          }),
          textInput({ name: names.reportLink, label: '佐证链接（选填）', placeholder: '如制度文件、通报的网址 https://…' }),
          submitButton({ name: names.reportSubmit, label: '提交进展', value: measureValue(view, MEASURE_REPORT) }),
        ]),
      ];
    case 'submit':
      return [
        form(names.submitForm, [
          textInput({ name: names.submitNote, label: '销号说明（选填）', placeholder: '如整改结果、佐证材料', multiline: true }),
          submitButton({
            name: names.submitSubmit,
            label: '确认申请销号',
            value: measureValue(view, MEASURE_SUBMIT),
            confirm: { title: '申请销号', text: `确认措施 ${view.code} 已完成整改，提交销号审核？` },
          }),
        ]),
      ];
    case 'extend':
      return [
        form(names.extendForm, [
          datePicker({ name: names.extendDate, placeholder: '请选择新的截止日期', initialDate: view.dueDate, required: true }),
          textInput({ name: names.extendReason, label: '延期理由', placeholder: '请说明需要延期的原因', multiline: true, required: true }),
          submitButton({ name: names.extendSubmit, label: '提交延期申请', value: measureValue(view, MEASURE_EXTEND) }),
        ]),
      ];
    case 'return':
      return [
        form(names.returnForm, [
          textInput({ name: names.returnReason, label: '退回原因', placeholder: '请说明需要继续整改的内容', multiline: true, required: true }),
          submitButton({
            name: names.returnSubmit,
            label: '确认退回',
            type: 'danger_filled',
            value: measureValue(view, MEASURE_RETURN),
            confirm: { title: '退回整改', text: `确认将措施 ${view.code} 退回继续整改？` },
          }),
        ]),
      ];
  }
}
