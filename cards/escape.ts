/**
 * User text shown back to people. Card markdown and text messages interpret tags such as
 * <at id=all></at> (which pings everyone), links and formatting; user text must never do that.
 */

/**
 * Characters card markdown reads as markup anywhere in a line: tags and mentions (< >),
 * links and images ([ ] ( )), emphasis and strike (* _ ~), code (`), tables (|), emoji codes
 * and bare links (:), the backslash, and & so a typed entity shows as typed.
 */
const INLINE_SPECIAL = /[&<>[\]()*_~`|:\\]/g;
/**
 * What makes a heading, list, quote or rule at the start of a line; digits and a dot only
 * when a space or the line's end follows (1. a list item), so codes like 1.2.3 stay as typed.
 */
const LINE_START_SPECIAL = /^([ \t]*)([-+#=>]|\d+\.(?=[ \t]|$))/gm;

const entity = (c: string) => `&#${c.codePointAt(0)};`;

/**
 * For user text inside card markdown (the `markdown` component and `lark_md` table cells).
 * Escapes with HTML numeric entities, the mechanism the rich-text page documents for showing
 * special characters as themselves (卡片 JSON 2.0 富文本组件, 特殊字符转义:
 * https://open.feishu.cn/document/feishu-cards/card-json-v2-components/content-components/rich-text);
 * backslash escapes are not documented and may show literally. Every interpolated string is
 * treated as the start of a line, since a template may place it there.
 */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(INLINE_SPECIAL, entity)
    .replace(LINE_START_SPECIAL, (_m, indent: string, mark: string) =>
      mark.endsWith('.') ? `${indent}${mark.slice(0, -1)}&#46;` : `${indent}${entity(mark)}`,
    );
}

/**
 * For text messages (msg_type "text"), which understand <at user_id="..."> and [x](url)
 * but no entities: angle brackets become their full-width forms, so the text still reads
 * the same and cannot form a tag.
 */
export function escapeTextMessage(text: string): string {
  return text
    .replace(/</g, '＜')
    .replace(/>/g, '＞')
    .replace(/\[([^\]]*)\]\(/g, '［$1］（');
}

/** Shortens long user text for lists and previews, on a character (not byte) boundary. */
export function excerpt(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
