import { escapeHtml } from './html-text.js';

/** What rendering one card carries along: the problems found so far and how to name a mention. */
export interface RenderContext {
  problems: string[];
  mentionName: (id: string) => string | undefined;
}

/** Records a problem and returns the visible error block that stands where it was found. */
export function problemBlock(ctx: RenderContext, path: string, message: string): string {
  ctx.problems.push(`${path}: ${message}`);
  return `<div class="fc-error" role="alert">${escapeHtml(message)}<span class="fc-error-path">${escapeHtml(path)}</span></div>`;
}
