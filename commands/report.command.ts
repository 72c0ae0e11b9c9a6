import { reportArgs } from './args.js';
import { changeOutcome, measureFor } from './measure-command.js';
import { linksIn } from '../src/domain/evidence-files.js';
import { recordEvidenceLinks } from '../src/services/evidence.service.js';
import { recordProgress } from '../src/services/measure-changes.js';
import type { Command } from './types.js';
import { REPORTERS } from '../src/services/measure-access.js';

/** The words a reply adds for links recorded as evidence (new ones, and ones the measure already had). */
export function linkNote(r: { added: unknown[]; known: unknown[] }): string {
  const parts = [r.added.length ? `记录佐证链接 ${r.added.length} 个` : '', r.known.length ? `${r.known.length} 个链接此前已记录` : ''].filter(Boolean);
  return parts.length ? `；${parts.join('，')}` : '';
}

export const reportCommand: Command<{ code: string; text: string; percent?: number }> = {
  name: 'report',
  aliases: ['汇报', '进展'],
  summary: '汇报整改进展，可在末尾写完成比例，如 60%、六成或百分之六十；文中的网址记为佐证链接',
  usage: '/report <编号> <进展内容> [完成比例%]',
  roles: REPORTERS,
  args: reportArgs,
  async run(ctx, a) {
    const measure = await measureFor(ctx, a.code, '汇报进展');
    const r = await recordProgress(ctx.deps, { actor: ctx.actor, measure, text: a.text, percent: a.percent, source: 'command', key: `cmd:${ctx.eventId}` });
    // A link in the report is evidence too (recorded once per measure, so a redelivery adds nothing).
    const links = await recordEvidenceLinks(ctx.deps, { actor: ctx.actor, measure: r.measure, urls: linksIn(a.text), source: 'report' });
    // The stored percentage: the new one when one was given (even 0%), else the one before.
    const pct = a.percent !== undefined || r.measure.percent ? `，完成 ${r.measure.percent}%` : '';
    return changeOutcome(ctx, `已记录措施 ${r.measure.code} 的进展${pct}${linkNote(links)}。`, links.measure, r.notices);
  },
};
