/**
 * Sent when a file or image arrives with no pending /佐证: which of the sender's open measures is
 * it evidence for? The file itself stays in its Feishu message until one is chosen (the card's
 * message remembers which file it is for, on the server).
 */
import { EVIDENCE_PICK, EVIDENCE_PICK_FIELDS } from './actions.js';
import { bold, card, form, markdown, md, note, selectStatic, submitButton, type Card, type CardElement } from './elements.js';
import { excerpt } from './escape.js';
import type { EvidencePickView } from './views.js';

/** Options the select offers; a person with more open measures uses /佐证 <编号>. */
export const EVIDENCE_PICK_OPTIONS = 50;

export function evidencePickCard(view: EvidencePickView): Card {
  const what = view.kind === 'image' ? '图片' : '文件';
  const elements: CardElement[] = [markdown(md`${bold(`收到${what}`)}：${view.fileName}`)];
  if (view.state.kind === 'pending') {
    elements.push(markdown(md`请选择它是哪项整改措施的佐证材料：`));
    elements.push(
      form(EVIDENCE_PICK_FIELDS.form, [
        selectStatic({
          name: EVIDENCE_PICK_FIELDS.measure,
          placeholder: '请选择整改措施',
          options: view.options.slice(0, EVIDENCE_PICK_OPTIONS).map((o) => ({ label: `${o.code} ${excerpt(o.text, 30)}`, value: String(o.id) })),
          required: true,
        }),
        submitButton({ name: EVIDENCE_PICK_FIELDS.submit, label: '作为佐证材料保存', value: { action: EVIDENCE_PICK } }),
      ]),
    );
    if (view.more > 0) elements.push(note(`另有 ${view.more} 项措施未列出：可先发送 /佐证 <编号>，再重新发送这个${what}。`));
    else elements.push(note(`如果不是佐证材料，忽略本卡片即可。`));
  } else if (view.state.kind === 'saving') {
    elements.push(note(`正在保存为措施 ${view.state.code} 的佐证材料，保存后会发消息确认。`));
  } else {
    elements.push(note(`已作为措施 ${view.state.code} 的佐证材料。`));
  }
  const template = view.state.kind === 'done' ? 'green' : 'blue';
  return card({ title: '上传佐证材料', template, elements });
}
