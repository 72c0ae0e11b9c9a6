/**
 * User text shown back to people. Card markdown and text messages interpret tags such as
 * <at id=all></at> (which pings everyone) and markdown links; user text must never do that.
 */

const MARKDOWN_SPECIAL = /[\\`*_~[\]()#|!{}>-]/g;

/** For text inside a card `markdown` element: tags become entities, markdown is backslashed. */
export function escapeCardMarkdown(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(MARKDOWN_SPECIAL, (c) => (c === '>' ? c : `\\${c}`));
}

/**
 * For text messages (msg_type "text"), which understand <at user_id="..."> and [x](url)
 * but no entities: angle brackets become their full-width forms, so the text still reads
 * the same and cannot form a tag.
 */
export function escapeTextMessage(text: string): string {
  return text.replace(/</g, '＜').replace(/>/g, '＞').replace(/\[([^\]]*)\]\(/g, '［$1］（');
}

/** Shortens long user text for lists and previews, on a character (not byte) boundary. */
export function excerpt(text: string, max: number): string {
  const chars = [...text.replace(/\s+/g, ' ').trim()];
  return chars.length <= max ? chars.join('') : `${chars.slice(0, max - 1).join('')}…`;
}
