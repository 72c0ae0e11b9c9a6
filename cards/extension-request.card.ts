/** Sent to the secretary when an owner asks for more time: old and new date, reason, 同意 / 驳回. */
import { EXTENSION_APPROVE, EXTENSION_REJECT, extensionFieldNames } from './actions.js';
import { bold, card, confirmedAction, fields, form, markdown, md, note, submitButton, text, textInput, type Card, type CardElement } from './elements.js';
import { excerpt } from './escape.js';
import type { ExtensionRequestView } from './views.js';

const DECIDED: Record<Exclude<ExtensionRequestView['status'], 'pending'>, { label: string; template: 'green' | 'red' | 'grey' }> = {
  approved: { label: '已同意', template: 'green' },
  rejected: { label: '已驳回', template: 'red' },
  withdrawn: { label: '已撤回', template: 'grey' },
};

export function extensionRequestCard(view: ExtensionRequestView): Card {
  const elements: CardElement[] = [
    markdown(md`${bold('措施')}：${excerpt(view.measureText, 120)}`),
    ...fields([
      ['责任部门', view.department],
      ['责任人', view.ownerName],
      ['原截止日期', view.oldDate ?? '未设日期'],
      ['申请改至', view.newDate],
    ]),
    markdown(md`${bold('延期理由')}`),
    text(excerpt(view.reason, 500)),
  ];
  if (view.requestedBy) elements.push(note(`申请人：${view.requestedBy}`));
  elements.push(...decision(view));
  const decided = view.status === 'pending' ? null : DECIDED[view.status];
  return card({
    title: `延期申请 ${view.measureCode}`,
    subtitle: `${view.oldDate ?? '未设日期'} → ${view.newDate}`,
    template: decided?.template ?? 'orange',
    tag: { text: decided?.label ?? '待审批', color: decided ? (decided.template === 'grey' ? 'neutral' : decided.template) : 'orange' },
    elements,
  });
}

function decision(view: ExtensionRequestView): CardElement[] {
  if (view.status !== 'pending') {
    const by = view.decidedBy ? `${DECIDED[view.status].label}（${view.decidedBy}）` : DECIDED[view.status].label;
    const out = [note(by)];
    if (view.decisionNote) out.push(text(`说明：${excerpt(view.decisionNote, 300)}`));
    return out;
  }
  if (!view.canDecide) return [note('等待整改办审批')];
  const value = { requestId: view.requestId, measureId: view.measureId, version: view.version };
  const names = extensionFieldNames(view.requestId);
  return [
    confirmedAction({
      name: `approve_${view.requestId}`,
      label: '同意延期',
      type: 'primary_filled',
      value: { action: EXTENSION_APPROVE, ...value },
      confirm: { title: '同意延期', text: `确认将措施 ${view.measureCode} 的截止日期改为 ${view.newDate}？` },
    }),
    form(names.rejectForm, [
      textInput({ name: names.rejectReason, label: '驳回原因', placeholder: '驳回时请填写原因', multiline: true, required: true }),
      submitButton({ name: names.rejectSubmit, label: '驳回', type: 'danger', value: { action: EXTENSION_REJECT, ...value } }),
    ]),
  ];
}
