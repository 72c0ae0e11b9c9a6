/**
 * Which headings and paragraphs are ledger content. Notices and plans put organisational
 * sections (how the work was organised, who was responsible) and closing plans next to the
 * problems, with the same numbering and the same 一是…二是… lists: they are not measures.
 */

const ORGANISATIONAL =
  /组织领导|组织整改|组织情况|组织实施|组织保障|主体责任|下一步|工作打算|总体要求|指导思想|基本原则|工作目标|目标任务|工作要求|保障措施|工作措施|思想认识|工作机制|长效机制|整改成效|工作成效|基本情况|工作开展情况/;
/** A heading that only groups the problems: 二、反馈问题整改落实情况. */
const WRAPPER =
  /问题(?:的)?整改(?:落实|进展|完成)?情况|整改落实情况|整改进展情况|问题(?:及|和|与)整改|存在(?:的)?问题$|反馈(?:的)?问题$|问题清单|整改任务|整改措施$|具体整改/;

export function sectionKind(title: string): 'organisational' | 'wrapper' | 'content' {
  const t = title.replace(/[\s\u3000]+/g, '');
  if (isCategoryTitle(t)) return 'content';
  if (WRAPPER.test(t) && !ORGANISATIONAL.test(t)) return 'wrapper';
  if (ORGANISATIONAL.test(t)) return 'organisational';
  return 'content';
}

/** …方面 / 关于… / 在…方面: a heading that names a category of problems. */
export function isCategoryTitle(title: string): boolean {
  const t = title.replace(/[\s\u3000]+/g, '').replace(/[。.;；:：,，]+$/, '');
  return /方面$/.test(t) || /^关于.+方面/.test(t) || /^在.+方面/.test(t);
}

/** A plain paragraph that starts the closing part: 下一步…, 以上…, 欢迎…监督. */
export function closesStructure(paragraph: string): boolean {
  return /^(下一步|下步|今后|以上|欢迎|特此|附件|联系人|联系电话|监督电话)/.test(paragraph.replace(/^[\s\u3000]+/, ''));
}
