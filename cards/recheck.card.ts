/**
 * 回头看: sent months after a measure was closed to whoever verified the closure and to its
 * owner, asking whether the result has held. 成效巩固 records it; 出现反弹 (with a reason) reopens
 * the measure. Once answered, every copy of the card says who answered, when, and how.
 */
import { RECHECK_HOLD, RECHECK_REBOUND, recheckFieldNames } from './actions.js';
import { bold, card, confirmedAction, fields, form, markdown, md, note, submitButton, text, textInput, type Card, type CardElement } from './elements.js';
import { escapeTextMessage, excerpt } from './escape.js';

export interface RecheckView {
  recheckId: number;
  measureId: number;
  code: string;
  measureText: string;
  department: string | null;
  ownerName: string | null;
  /** months after closure (RECHECK_AFTER_MONTHS) */
  months: number;
  /** 2025年4月5日 */
  closedOnLabel: string;
  verifierName: string | null;
  answer: null | { outcome: 'held' | 'rebounded'; by: string; onLabel: string; reason: string | null };
  /** the most characters of a rebound reason (the form's limit; the server checks it too) */
  reasonMax: number;
}

export const recheckTitle = (v: Pick<RecheckView, 'code' | 'months'>) => `措施 ${v.code} 销号已满 ${v.months} 个月，请确认整改成效是否巩固`;

export function recheckCard(v: RecheckView): Card {
  const elements: CardElement[] = [
    markdown(md`${bold('措施')}：${excerpt(v.measureText, 200)}`),
    ...fields([
      ['责任部门', v.department ?? '未填写'],
      ['责任人', v.ownerName ?? '未指定'],
      ['销号日期', v.closedOnLabel],
      ['销号审核', v.verifierName ?? '无记录'],
    ]),
  ];
  elements.push(...(v.answer ? answered(v.answer) : questions(v)));
  const tag = v.answer
    ? v.answer.outcome === 'held'
      ? { text: '成效巩固', color: 'green' as const }
      : { text: '出现反弹', color: 'red' as const }
    : { text: '回头看', color: 'orange' as const };
  return card({
    title: recheckTitle(v),
    subtitle: `回头看 · ${v.code}`,
    template: v.answer ? (v.answer.outcome === 'held' ? 'green' : 'red') : 'orange',
    tag,
    elements,
  });
}

function answered(a: NonNullable<RecheckView['answer']>): CardElement[] {
  if (a.outcome === 'held') return [note(`已确认整改成效巩固（${a.by}，${a.onLabel}）`)];
  const out = [note(`已报告出现反弹，措施已恢复为“整改中”（${a.by}，${a.onLabel}）`)];
  if (a.reason) out.push(text(`反弹情况：${excerpt(a.reason, 500)}`));
  return out;
}

function questions(v: RecheckView): CardElement[] {
  const value = { recheckId: v.recheckId, measureId: v.measureId };
  const names = recheckFieldNames(v.recheckId);
  return [
    confirmedAction({
      name: `recheck_hold_${v.recheckId}`,
      label: '成效巩固',
      type: 'primary_filled',
      value: { action: RECHECK_HOLD, ...value },
      confirm: { title: '成效巩固', text: `确认措施 ${v.code} 的整改成效已经巩固？` },
    }),
    form(names.reboundForm, [
      textInput({
        name: names.reboundReason,
        label: '出现反弹',
        placeholder: '如出现反弹，请写明情况；提交后措施恢复为“整改中”',
        multiline: true,
        required: true,
        maxLength: v.reasonMax,
      }),
      submitButton({ name: names.reboundSubmit, label: '出现反弹', type: 'danger', value: { action: RECHECK_REBOUND, ...value } }),
    ]),
  ];
}

/** The same question as plain text (sent when the card is refused). */
export function recheckText(v: RecheckView): string {
  const lines = [
    recheckTitle(v),
    `措施：${excerpt(v.measureText, 200)}`,
    `责任部门：${v.department ?? '未填写'}；责任人：${v.ownerName ?? '未指定'}；销号日期：${v.closedOnLabel}`,
    '请在卡片上确认“成效巩固”或“出现反弹”；如卡片无法显示，请联系整改办。',
  ];
  return escapeTextMessage(lines.join('\n'));
}
